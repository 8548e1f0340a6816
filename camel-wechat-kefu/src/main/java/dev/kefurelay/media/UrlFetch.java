package dev.kefurelay.media;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;

import dev.kefurelay.message.InvalidMessageException;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;

/**
 * Downloads a URL source: http(s) only, redirects followed by hand (at most {@link #MAX_REDIRECTS}, each to http(s)
 * only), the content type checked before the body is read, the body cut off at the type's size limit while it
 * streams, and the whole download within {@code timeout} however slowly the server trickles. Its own client: a
 * stranger's server must never hold a connection of the WeChat pool, nor get WeChat's token.
 */
public final class UrlFetch implements AutoCloseable {

    static final int MAX_REDIRECTS = 5;
    private static final int CHUNK = 16 * 1024;

    private final CloseableHttpClient http;
    private final Duration timeout;

    /**
     * @param connectTimeout how long to wait for a connection
     * @param timeout        the longest a whole download may take, and each read within it
     */
    public UrlFetch(Duration connectTimeout, Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(connectTimeout))
                                .setSocketTimeout(Timeout.of(timeout))
                                .build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(Timeout.of(connectTimeout))
                        .setResponseTimeout(Timeout.of(timeout))
                        .build())
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
     * @throws InvalidMessageException for anything that keeps the content from being the upload: no answer in time,
     *                                 an HTTP error, a redirect elsewhere than http(s), the wrong content type, too large
     */
    public byte[] fetch(String url, String what, MediaLimits limits, String uploadType) {
        long deadline = System.nanoTime() + timeout.toNanos();
        URI uri = URI.create(url);
        for (int hop = 0; ; hop++) {
            URI current = uri;
            HttpGet get = new HttpGet(current);
            Object result;
            try {
                result = http.execute(get, response -> {
                    int status = response.getCode();
                    if (status >= 300 && status < 400 && response.getFirstHeader("Location") != null) {
                        return current.resolve(response.getFirstHeader("Location").getValue().strip());
                    }
                    if (status != 200) {
                        throw new InvalidMessageException(what + " answered HTTP " + status);
                    }
                    checkType(response.getFirstHeader("Content-Type"), uploadType, what);
                    HttpEntity entity = response.getEntity();
                    if (entity == null) {
                        throw new InvalidMessageException(what + " answered no content");
                    }
                    if (entity.getContentLength() >= 0) {
                        limits.checkSize(uploadType, entity.getContentLength(), what);
                    }
                    return read(get, entity, what, limits, uploadType, deadline);
                });
            } catch (InvalidMessageException e) {
                throw e;
            } catch (SocketTimeoutException e) {
                throw new InvalidMessageException(what + " sent nothing for " + timeout.toMillis() + " ms");
            } catch (IOException | RuntimeException e) {
                throw new InvalidMessageException(what + " could not be downloaded (" + e.getClass().getSimpleName()
                        + ")");
            }
            if (result instanceof byte[] content) {
                return content;
            }
            uri = (URI) result;
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new InvalidMessageException(what + " redirects to a " + scheme + ": URL: only http(s) is followed");
            }
            if (hop + 1 >= MAX_REDIRECTS) {
                throw new InvalidMessageException(what + " redirects more than " + MAX_REDIRECTS + " times");
            }
        }
    }

    /**
     * Reads the body within the limits. Cut off, the request is cancelled, which drops the connection: closing the
     * stream instead would read the rest of the body, as slowly or as much as the server likes.
     */
    private byte[] read(HttpGet get, HttpEntity entity, String what, MediaLimits limits, String uploadType,
            long deadline) throws IOException {
        long limit = limits.of(uploadType);
        var out = new java.io.ByteArrayOutputStream();
        byte[] chunk = new byte[CHUNK];
        InputStream in = entity.getContent();
        try {
            for (int n; (n = in.read(chunk)) >= 0; ) {
                out.write(chunk, 0, n);
                if (out.size() > limit) {
                    throw limits.overLimit(uploadType, what);
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new InvalidMessageException(what + " took longer than " + timeout.toMillis()
                            + " ms to download");
                }
            }
        } catch (IOException | RuntimeException e) {
            get.cancel();
            throw e;
        }
        in.close();
        return out.toByteArray();
    }

    /**
     * The server's word on the type must fit the upload (image/*, audio/*, video/*), or say nothing more than
     * "bytes": an HTML error page served with 200 is refused before it is read. The content's magic bytes decide
     * the format afterwards.
     */
    private static void checkType(Header header, String uploadType, String what) {
        String type = header == null ? "" : header.getValue().split(";")[0].strip().toLowerCase(Locale.ROOT);
        String family = switch (uploadType) {
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
        http.close(CloseMode.GRACEFUL);
    }
}
