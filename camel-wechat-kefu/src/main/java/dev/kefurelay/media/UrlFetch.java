package dev.kefurelay.media;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.kefurelay.message.InvalidMessageException;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads a URL source: http(s) only, redirects followed by hand (at most {@link #MAX_REDIRECTS}, each to http(s)
 * only), the content type checked before the body is read, the body cut off at the type's size limit while it
 * streams. Its own client: a stranger's server must never hold a connection of the WeChat pool, nor get WeChat's
 * token.
 * <p>
 * Every host, the first and each a redirect names, is resolved once and its address checked ({@link AllowHosts}:
 * public addresses only unless the operator lets others through); the connection then goes to that very address
 * (pinned in the target, the client itself never resolves a name), so a second DNS answer cannot swap in another.
 * One deadline covers the whole fetch, from the lookup to the last byte across every redirect: when it passes, the
 * request under way is cancelled, which closes its socket wherever it blocks (connect, TLS, headers, body).
 * <p>
 * What went wrong on the way (no such host, no connection, refused, reset, no answer in time, an HTTP error) reads
 * alike in the error, since telling them apart would make the relay a port scanner for any sender; the cause is
 * logged at DEBUG for the operator. A host that is not public is named: that is decided before any connection.
 */
public final class UrlFetch implements AutoCloseable {

    static final int MAX_REDIRECTS = 5;
    /** The relay's setting and the component's option that let a host that is not public through. */
    static final String ALLOW_SETTING = "kefu.media.allow-hosts (component option mediaAllowHosts)";
    private static final int CHUNK = 16 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(UrlFetch.class);

    /** The client's own resolver: never asked, since every target carries its checked address. */
    private static final DnsResolver NO_LOOKUP = new DnsResolver() {
        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            throw new UnknownHostException("not resolved by the client: every target is pinned to a checked address");
        }

        @Override
        public String resolveCanonicalHostname(String host) throws UnknownHostException {
            throw new UnknownHostException("not resolved by the client");
        }
    };

    private final CloseableHttpClient http;
    private final Duration timeout;
    private final PinnedHosts hosts;
    private final ScheduledThreadPoolExecutor alarms;

    /**
     * @param connectTimeout how long to wait for a connection (never longer than {@code timeout})
     * @param timeout        the longest a whole fetch may take, redirects included
     * @param allowed        the hosts that may be reached although they are not public
     */
    public UrlFetch(Duration connectTimeout, Duration timeout, AllowHosts allowed) {
        this(connectTimeout, timeout, new PinnedHosts(allowed, InetAddress::getAllByName));
    }

    UrlFetch(Duration connectTimeout, Duration timeout, PinnedHosts hosts) {
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("the media URL timeout must be more than 0, not " + timeout);
        }
        this.timeout = timeout;
        this.hosts = hosts;
        this.alarms = new ScheduledThreadPoolExecutor(1, daemon("wechat-kefu-url-deadline"));
        alarms.setRemoveOnCancelPolicy(true);
        Duration connect = connectTimeout.compareTo(timeout) < 0 ? connectTimeout : timeout;
        this.http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(NO_LOOKUP)
                        // a limit only: no connection is kept (see the reuse strategy), each is pinned anew
                        .setMaxConnTotal(256)
                        .setMaxConnPerRoute(64)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(connect))
                                .setSocketTimeout(Timeout.of(timeout))
                                .build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(Timeout.of(timeout))
                        .setResponseTimeout(Timeout.of(timeout))
                        .build())
                .setConnectionReuseStrategy((request, response, context) -> false)
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .build();
    }

    /**
     * @param url  an http(s) URL (the message reader checked the scheme)
     * @param what names the source in errors, e.g. {@code image.source_url 'https://…'}
     * @return the content, at most the type's limit
     * @throws InvalidMessageException for anything that keeps the content from being the upload: a host that is
     *                                 not public, no whole answer in time, a redirect elsewhere than http(s), the
     *                                 wrong content type, too large
     */
    public byte[] fetch(String url, String what, MediaLimits limits, String uploadType) {
        Attempt attempt = new Attempt(System.nanoTime() + timeout.toNanos());
        ScheduledFuture<?> alarm = alarms.schedule(attempt::expire, timeout.toNanos(), TimeUnit.NANOSECONDS);
        try {
            URI uri = URI.create(url);
            for (int hop = 0; ; hop++) {
                HttpHost target = hosts.pin(uri, what, hop > 0, attempt.remainingNanos());
                Hop result = hop(target, uri, what, limits, uploadType, attempt);
                if (result.content() != null) {
                    return result.content();
                }
                uri = result.redirect();
                String scheme = scheme(uri);
                if (!scheme.equals("http") && !scheme.equals("https")) {
                    throw new InvalidMessageException(what + " redirects to a " + scheme
                            + ": URL: only http(s) is followed");
                }
                if (hop + 1 >= MAX_REDIRECTS) {
                    throw new InvalidMessageException(what + " redirects more than " + MAX_REDIRECTS + " times");
                }
            }
        } catch (InvalidMessageException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            LOG.debug("{} could not be fetched: {}", what, e.toString());
            throw new InvalidMessageException(what + " could not be fetched (no whole answer with HTTP 200 within "
                    + timeout.toMillis() + " ms)");
        } finally {
            alarm.cancel(false);
        }
    }

    /** What one request gave: the content, or where it redirects to. */
    private record Hop(byte[] content, URI redirect) {
    }

    private Hop hop(HttpHost target, URI uri, String what, MediaLimits limits, String uploadType, Attempt attempt)
            throws IOException {
        HttpGet get = new HttpGet(uri);
        attempt.watch(get);
        ClassicHttpResponse response = http.executeOpen(target, get, null);
        try {
            int status = response.getCode();
            Header location = response.getFirstHeader("Location");
            if (status >= 300 && status < 400 && location != null) {
                return new Hop(null, uri.resolve(location.getValue().strip()));
            }
            if (status != 200) {
                throw new IOException("answered HTTP " + status);
            }
            checkType(response.getFirstHeader("Content-Type"), uploadType, what);
            HttpEntity entity = response.getEntity();
            if (entity == null) {
                throw new IOException("answered no content");
            }
            if (entity.getContentLength() >= 0) {
                limits.checkSize(uploadType, entity.getContentLength(), what);
            }
            return new Hop(read(entity, what, limits, uploadType), null);
        } finally {
            // the connection is dropped, not the response closed: closing would first read the rest of the body,
            // as slowly or as much as the server likes (after the whole body was read, this changes nothing)
            get.cancel();
            try {
                response.close();
            } catch (IOException e) {
                // dropped already
            }
        }
    }

    /** Reads the body within the size limit; the deadline cuts it off from outside. */
    private static byte[] read(HttpEntity entity, String what, MediaLimits limits, String uploadType)
            throws IOException {
        long limit = limits.of(uploadType);
        var out = new java.io.ByteArrayOutputStream();
        byte[] chunk = new byte[CHUNK];
        InputStream in = entity.getContent();
        for (int n; (n = in.read(chunk)) >= 0; ) {
            out.write(chunk, 0, n);
            if (out.size() > limit) {
                throw limits.overLimit(uploadType, what);
            }
        }
        return out.toByteArray();
    }

    static String scheme(URI uri) {
        return uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    }

    /**
     * One fetch's deadline. When it passes, the request under way is cancelled; a request started after that fails
     * at once. Both sides look at the other's field after writing their own, so one of them always sees the other.
     */
    private static final class Attempt {

        private final long deadline;
        private final AtomicReference<HttpGet> current = new AtomicReference<>();
        private volatile boolean expired;

        Attempt(long deadline) {
            this.deadline = deadline;
        }

        void expire() {
            expired = true;
            HttpGet get = current.get();
            if (get != null) {
                get.cancel();
            }
        }

        void watch(HttpGet get) throws InterruptedIOException {
            current.set(get);
            if (expired) {
                throw new InterruptedIOException("the deadline passed");
            }
        }

        long remainingNanos() {
            return Math.max(0, deadline - System.nanoTime());
        }
    }

    static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * The server's word on the type must fit the upload (image/*, audio/*, video/*), or say nothing more than
     * "bytes": an HTML error page served with 200 is refused before it is read. The content's magic bytes decide
     * the format afterwards. A file (WeCom's) may be anything a customer can be sent: a PDF, a spreadsheet, a page.
     */
    private static void checkType(Header header, String uploadType, String what) {
        String type = header == null ? "" : header.getValue().split(";")[0].strip().toLowerCase(Locale.ROOT);
        String family = switch (uploadType) {
            case "file" -> "";
            case "voice" -> "audio/";
            case "video" -> "video/";
            default -> "image/";
        };
        if (!type.startsWith(family) && !type.equals("application/octet-stream")) {
            throw new InvalidMessageException(what + " has content type '" + (type.isEmpty() ? "none" : type)
                    + "': a " + uploadType + " needs " + family + "* (or application/octet-stream)");
        }
    }

    @Override
    public void close() {
        alarms.shutdownNow();
        hosts.close();
        http.close(CloseMode.GRACEFUL);
    }
}
