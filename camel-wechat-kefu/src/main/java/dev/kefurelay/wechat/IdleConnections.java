package dev.kefurelay.wechat;

import java.time.Duration;
import java.util.Iterator;

import org.apache.hc.client5.http.ConnectionKeepAliveStrategy;
import org.apache.hc.core5.http.HeaderElement;
import org.apache.hc.core5.http.HeaderElements;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.message.MessageSupport;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.TimeValue;

/**
 * How long a pooled connection may stay idle and still be used: never as long as the server keeps it open. A
 * server closes an idle keep-alive connection when its own timeout ends, without telling the client; a custom/send
 * written onto it in that moment gets no answer, and whether WeChat took it cannot be known (unknown outcome). So a
 * connection is retired while the server still holds it open: before {@link #MAX_IDLE}, or a second before the end
 * the server announced ({@code Keep-Alive: timeout=n}), whichever comes first. Between those a connection idle over
 * {@link #VALIDATE_AFTER} is checked before it is used, which finds one a server closed sooner without saying so.
 */
final class IdleConnections implements ConnectionKeepAliveStrategy {

    /**
     * Shorter than the idle timeouts servers and proxies commonly use (Apache httpd and Node.js 5 s, Tomcat 20 s, the
     * JDK's server 30 s, nginx 75 s): the JDK's own HttpURLConnection keeps an unannounced connection 5 s. Reopening
     * costs a connection (and TLS handshake) only when traffic pauses this long, when it costs nobody.
     */
    static final Duration MAX_IDLE = Duration.ofSeconds(4);

    /** What is kept clear of the server's announced timeout: the request's way there, and clocks that differ. */
    static final Duration MARGIN = Duration.ofSeconds(1);

    /**
     * A connection idle this long is checked before it is used (a blocking read of 1 ms that sees whether the server
     * closed it). Not on every use: connections busy under load are reused within milliseconds, and there the check
     * would only add its millisecond; a pause of this length is where a server's close can have come in.
     */
    static final Duration VALIDATE_AFTER = Duration.ofMillis(100);

    static final IdleConnections INSTANCE = new IdleConnections();

    @Override
    public TimeValue getKeepAliveDuration(HttpResponse response, HttpContext context) {
        return TimeValue.of(limit(announcedTimeout(response)));
    }

    /** The idle limit for a connection whose server announced {@code announced} (null: nothing announced). */
    static Duration limit(Duration announced) {
        if (announced == null) {
            return MAX_IDLE;
        }
        Duration kept = announced.minus(MARGIN);
        if (kept.isNegative()) {
            return Duration.ZERO;
        }
        return kept.compareTo(MAX_IDLE) < 0 ? kept : MAX_IDLE;
    }

    /** The {@code timeout} of a {@code Keep-Alive} header, in seconds as HTTP writes it; null when there is none. */
    private static Duration announcedTimeout(HttpResponse response) {
        Iterator<HeaderElement> it = MessageSupport.iterate(response, HeaderElements.KEEP_ALIVE);
        while (it.hasNext()) {
            HeaderElement element = it.next();
            if ("timeout".equalsIgnoreCase(element.getName()) && element.getValue() != null) {
                try {
                    return Duration.ofSeconds(Long.parseLong(element.getValue().strip()));
                } catch (NumberFormatException | ArithmeticException ignored) {
                    // a malformed hint is no hint: the default limit applies
                }
            }
        }
        return null;
    }
}
