package dev.kefurelay.media;

import static dev.kefurelay.media.FetchServers.DEADLINE;
import static dev.kefurelay.media.FetchServers.PICTURE;
import static dev.kefurelay.media.FetchServers.refusal;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What answered a URL source, against real local servers: a closed port, an open one and a web server's error never
 * show in the error, which reads alike for all; one deadline covers the whole fetch (the lookup, every redirect),
 * however the server trickles. Which hosts are reached at all: {@link UrlFetchTest}.
 */
class UrlFetchDeadlineTest {

    @RegisterExtension
    final FetchServers servers = new FetchServers();

    @Test
    void aClosedPortAnOpenOneAndAWebServersErrorReadAlike() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closed = s.getLocalPort();
        }
        servers.v4().createContext("/missing", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        servers.v4().createContext("/broken", exchange -> {
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        int hangsUp = servers.rawServer(socket -> { });
        int speaksSsh = servers.rawServer(socket -> {
            socket.getOutputStream().write("SSH-2.0-OpenSSH_9.2\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            socket.getInputStream().read(new byte[1024]);
        });
        int silent = servers.rawServer(socket -> socket.getInputStream()
                .transferTo(OutputStream.nullOutputStream()));
        UrlFetch fetch = servers.fetcher("127.0.0.0/8");
        Set<String> errors = new LinkedHashSet<>();
        for (int p : List.of(closed, hangsUp, speaksSsh, silent)) {
            errors.add(refusal(fetch, "http://127.0.0.1:" + p + "/x.png").replace(":" + p + "/", ":PORT/"));
        }
        errors.add(refusal(fetch, "http://127.0.0.1:" + servers.port() + "/missing")
                .replace(":" + servers.port() + "/missing", ":PORT/x.png"));
        errors.add(refusal(fetch, "http://127.0.0.1:" + servers.port() + "/broken")
                .replace(":" + servers.port() + "/broken", ":PORT/x.png"));
        assertEquals(Set.of("image.source_url 'http://127.0.0.1:PORT/x.png' could not be fetched (no whole answer with "
                + "HTTP 200 within 1000 ms)"), errors);
    }

    @Test
    void aServerTricklingItsHeadersIsCutAtTheDeadline() throws Exception {
        AtomicBoolean hungUp = new AtomicBoolean();
        // a status line, then a header a byte every 100 ms: 600 bytes, a minute, and never more than the
        // socket timeout between two bytes
        int trickling = servers.rawServer(socket -> {
            OutputStream out = socket.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            try {
                for (int i = 0; i < 600; i++) {
                    out.write('a');
                    out.flush();
                    TimeUnit.MILLISECONDS.sleep(100);
                }
            } catch (IOException e) {
                hungUp.set(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        long started = System.nanoTime();
        String error = refusal(servers.fetcher("127.0.0.1"), "http://127.0.0.1:" + trickling + "/slow.png");
        long took = System.nanoTime() - started;
        assertEquals("image.source_url 'http://127.0.0.1:" + trickling + "/slow.png' could not be fetched (no whole "
                + "answer with HTTP 200 within 1000 ms)", error);
        assertTrue(took >= DEADLINE.toNanos(), "not cut before the deadline");
        assertTrue(took < TimeUnit.SECONDS.toNanos(30), "cut at the deadline, not when the minute of headers ended: "
                + took / 1_000_000 + " ms");
        // and the connection is gone: the server's next byte finds it closed
        await().atMost(Duration.ofSeconds(20)).untilTrue(hungUp);
    }

    @Test
    void theDeadlineCoversEveryRedirect() {
        // each request is answered within the socket timeout, but the four of them take 1.6 s together
        servers.v4().createContext("/hop", exchange -> {
            int n = Integer.parseInt(exchange.getRequestURI().getQuery());
            pause(400);
            if (n < 3) {
                exchange.getResponseHeaders().set("Location", "/hop?" + (n + 1));
                exchange.sendResponseHeaders(302, -1);
            } else {
                servers.hits.add("GET /hop?3");
                exchange.getResponseHeaders().set("Content-Type", "image/png");
                exchange.sendResponseHeaders(200, PICTURE.length);
                exchange.getResponseBody().write(PICTURE);
            }
            exchange.close();
        });
        String error = refusal(servers.fetcher("127.0.0.1"), "http://127.0.0.1:" + servers.port() + "/hop?0");
        assertTrue(error.endsWith("could not be fetched (no whole answer with HTTP 200 within 1000 ms)"), error);
        assertEquals(List.of(), servers.hits, "the last hop was never answered");
    }

    @Test
    void aLookupThatDoesNotAnswerIsCutAtTheDeadline() {
        CountDownLatch never = new CountDownLatch(1);
        PinnedHosts hosts = new PinnedHosts(AllowHosts.NONE, host -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new UnknownHostException(host);
        });
        UrlFetch fetch = servers.fetcher(hosts);
        long started = System.nanoTime();
        try {
            String error = refusal(fetch, "http://slow-dns.example.test/x.png");
            assertTrue(error.endsWith("could not be fetched (no whole answer with HTTP 200 within 1000 ms)"), error);
            assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(30));
        } finally {
            never.countDown();
        }
    }

    @Test
    void aTimeoutOfNothingIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new UrlFetch(Duration.ofSeconds(1), Duration.ZERO,
                AllowHosts.NONE));
    }

    /** The simulated server's own slowness (never the test waiting for a result). */
    private static void pause(long ms) {
        try {
            TimeUnit.MILLISECONDS.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
