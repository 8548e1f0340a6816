package dev.kefurelay.component;

import static dev.kefurelay.component.MediaFixture.padded;
import static dev.kefurelay.component.MediaFixture.png;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import dev.kefurelay.testkit.WeChatKefuSandboxExtension;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Media from URLs (source_url) end to end: the component against the sandbox over real HTTP and a local HTTP server
 * (the JDK's) let through by name. What it serves is uploaded like a file of the same content; a server too slow,
 * too large or serving the wrong thing is cut off at the limits, before any upload. Which hosts are fetched at all:
 * {@link WeChatKefuUrlSourceTest}.
 */
class WeChatKefuMediaUrlTest {

    @RegisterExtension
    static final WeChatKefuSandboxExtension wechat = new WeChatKefuSandboxExtension();
    @TempDir
    Path media;
    @RegisterExtension
    final MediaCamel camel = MediaCamel.weChat(wechat, () -> media);
    private HttpServer web;
    private ExecutorService webThreads;

    @AfterEach
    void stop() throws Exception {
        if (web != null) {
            web.stop(0);
        }
        if (webThreads != null) {
            webThreads.shutdownNow();
        }
    }

    @Test
    void aUrlSourceIsDownloadedAndUploaded() throws Exception {
        byte[] png = png(32, 32);
        serve("/pics/banner.png", "image/png", png);
        String url = "http://127.0.0.1:" + web.getAddress().getPort() + "/pics/banner.png";
        Exchange reply = camel.send("{\"touser\":\"oUrlUser1\",\"msgtype\":\"image\",\"image\":{\"source_url\":\"" + url
                + "\"}}");
        assertEquals("delivered", reply.getMessage().getHeader(KefuHeaders.OUTCOME),
                reply.getMessage().getBody(String.class));
        assertEquals(1, camel.sandbox().uploads().size());
        assertEquals(png.length, camel.sandbox().uploads().get(0).bytes());
        // the same picture by another way (a file) is the same content: no second upload
        Files.write(media.resolve("same.png"), png);
        assertEquals("delivered", camel.send("{\"touser\":\"oUrlUser2\",\"msgtype\":\"image\",\"image\":{\"file\":"
                + "\"same.png\"}}").getMessage().getHeader(KefuHeaders.OUTCOME));
        assertEquals(1, camel.sandbox().uploads().size());
    }

    @Test
    void aSlowOrTooLargeUrlIsCutOffAtTheLimits() throws Exception {
        CountDownLatch released = new CountDownLatch(1);
        web = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        // its own threads: the silent handler holds one while the next request comes
        webThreads = Executors.newCachedThreadPool();
        web.setExecutor(webThreads);
        web.createContext("/slow.png", exchange -> {
            // the headers and a start, then a byte now and then: never finished within the timeout
            exchange.getResponseHeaders().set("Content-Type", "image/png");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(png(4, 4), 0, 16);
                out.flush();
                while (!released.await(200, TimeUnit.MILLISECONDS)) {
                    out.write(0);
                    out.flush();
                }
            } catch (InterruptedException | IOException e) {
                // the client hung up: what the test wants
            }
        });
        web.createContext("/silent.png", exchange -> {
            // not even the headers until the test is over
            try {
                released.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        AtomicInteger sentBytes = new AtomicInteger();
        web.createContext("/huge.png", exchange -> {
            // chunked, no length: the limit can only be found while streaming
            exchange.getResponseHeaders().set("Content-Type", "image/png");
            exchange.sendResponseHeaders(200, 0);
            byte[] chunk = padded(png(4, 4), 64 * 1024);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 1024; i++) { // 64 MB if nobody stops it
                    out.write(chunk);
                    sentBytes.addAndGet(chunk.length);
                }
            } catch (IOException e) {
                // cut off by the client
            }
        });
        web.createContext("/page.html", exchange -> {
            byte[] html = "<html>not found</html>".getBytes();
            exchange.getResponseHeaders().set("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, html.length);
            exchange.getResponseBody().write(html);
            exchange.close();
        });
        web.createContext("/to-ftp.png", exchange -> {
            exchange.getResponseHeaders().set("Location", "ftp://127.0.0.1/x.png");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        web.start();
        String base = "http://127.0.0.1:" + web.getAddress().getPort();
        try {
            long started = System.nanoTime();
            camel.assertRefused(url(base + "/slow.png"), "could not be fetched (no whole answer with HTTP 200 within "
                    + "1500 ms)");
            assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(10), "cut off near the timeout");
            camel.assertRefused(url(base + "/silent.png"), "could not be fetched (no whole answer with HTTP 200 within "
                    + "1500 ms)");
            camel.assertRefused(url(base + "/huge.png"), "has more than 10485760 bytes: WeChat takes image media of at "
                    + "most 10 MB");
            assertTrue(sentBytes.get() < 32 * 1024 * 1024, "the download stopped at the limit, not at the end: "
                    + sentBytes.get() + " bytes sent");
            camel.assertRefused(url(base + "/page.html"), "has content type 'text/html': a image needs image/*");
            camel.assertRefused(url(base + "/to-ftp.png"), "redirects to a ftp: URL: only http(s) is followed");
            camel.assertRefused(url("file:///etc/passwd"), "field 'image.source_url' must be an http(s) URL");
        } finally {
            released.countDown();
        }
        assertEquals(List.of(), camel.sandbox().uploads());
    }

    private static String url(String url) {
        return "{\"touser\":\"oUrlUser\",\"msgtype\":\"image\",\"image\":{\"source_url\":\"" + url + "\"}}";
    }

    private void serve(String path, String type, byte[] content) throws IOException {
        web = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        web.createContext(path, exchange -> {
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(200, content.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(content);
            }
        });
        web.start();
    }
}
