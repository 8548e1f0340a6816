package dev.kefurelay.media;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import dev.kefurelay.message.InvalidMessageException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * URL sources against real local servers that record every request they get: a host that is not public is refused
 * in every spelling and through redirects before any connection (the server is never hit), an allowed one is
 * fetched; what answered (a closed port, an open one, a web server's error) never shows in the error; one deadline
 * covers the whole fetch, however the server trickles.
 */
class UrlFetchTest {

    private static final Duration DEADLINE = Duration.ofSeconds(1);
    private static final byte[] PICTURE = "\u0089PNG picture bytes".getBytes(StandardCharsets.ISO_8859_1);
    private static final String NOT_PUBLIC = "which has no public address; to fetch from it, add the host or its "
            + "address range to kefu.media.allow-hosts (component option mediaAllowHosts)";

    /** Requests that reached the recording servers, as "METHOD path". */
    private final List<String> hits = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private HttpServer v4;
    private HttpServer v6;
    private int port;

    @BeforeEach
    void recordingServers() throws IOException {
        v4 = recorder(new InetSocketAddress("127.0.0.1", 0));
        port = v4.getAddress().getPort();
        try {
            v6 = recorder(new InetSocketAddress(InetAddress.getByName("::1"), 0));
        } catch (IOException e) {
            v6 = null; // no IPv6 loopback here: the [::1] form is still refused, there is just nothing to hit
        }
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        v4.stop(0);
        if (v6 != null) {
            v6.stop(0);
        }
        threads.shutdownNow();
    }

    /** Serves a picture at /pic.png, an admin API that deletes things on GET, and records both. */
    private HttpServer recorder(InetSocketAddress address) throws IOException {
        HttpServer server = HttpServer.create(address, 0);
        server.setExecutor(threads);
        server.createContext("/pic.png", exchange -> {
            hits.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            exchange.getResponseHeaders().set("Content-Type", "image/png");
            exchange.sendResponseHeaders(200, PICTURE.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(PICTURE);
            }
        });
        server.createContext("/admin/delete-everything", exchange -> {
            hits.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        return server;
    }

    private UrlFetch fetcher(String allowed) {
        UrlFetch fetch = new UrlFetch(Duration.ofSeconds(5), DEADLINE, AllowHosts.parse(allowed, "test"));
        closing.add(fetch);
        return fetch;
    }

    private static byte[] fetch(UrlFetch fetch, String url) {
        return fetch.fetch(url, "image.source_url '" + url + "'", MediaLimits.DEFAULTS, "image");
    }

    private static String refusal(UrlFetch fetch, String url) {
        return assertThrows(InvalidMessageException.class, () -> fetch(fetch, url), url).getMessage();
    }

    @Test
    void everySpellingOfAnAddressThatIsNotPublicIsRefusedBeforeAnyConnection() {
        UrlFetch fetch = fetcher("");
        List<String> urls = new ArrayList<>(List.of(
                "http://127.0.0.1:" + port + "/admin/delete-everything",
                "http://localhost:" + port + "/admin/delete-everything", // a name that resolves to loopback
                "HTTP://127.0.0.1:" + port + "/admin/delete-everything",
                "hTTp://LOCALHOST:" + port + "/admin/delete-everything",
                "http://2130706433:" + port + "/admin/delete-everything", // 127.0.0.1 as one decimal number
                "http://0.0.0.0:" + port + "/admin/delete-everything", // reaches the host itself on Linux
                "http://[::ffff:127.0.0.1]:" + port + "/admin/delete-everything",
                "http://[::127.0.0.1]:" + port + "/admin/delete-everything",
                "http://[::1]:" + (v6 != null ? v6.getAddress().getPort() : port) + "/admin/delete-everything",
                // nothing listens there: the error itself says the refusal came before any connection
                "http://10.0.0.1/x.png", "http://172.16.5.4/x.png", "http://192.168.1.1/x.png",
                "http://169.254.169.254/latest/meta-data/", "http://100.64.0.1/x.png", "http://198.18.0.1/x.png",
                "http://224.0.0.1/x.png", "http://[fd00::1]/x.png", "http://[fe80::1]/x.png",
                "http://[64:ff9b::a00:1]/x.png"));
        for (String url : urls) {
            String error = refusal(fetch, url);
            assertTrue(error.startsWith("image.source_url '"), error);
            assertTrue(error.contains("could not be fetched: host '"), error);
            assertTrue(error.endsWith(NOT_PUBLIC), error);
        }
        // a short form Java's URL parser takes for no host at all (the message reader refuses it before)
        String error = refusal(fetch, "http://127.1:" + port + "/admin/delete-everything");
        assertTrue(error.contains("could not be fetched"), error);
        assertEquals(List.of(), hits, "no request reached a server");
    }

    @Test
    void aRedirectToAnAddressThatIsNotPublicIsRefusedBeforeItIsFollowed() {
        // the first server is let through by its name; where it redirects to is checked anew
        List<String> targets = List.of("http://127.0.0.1:" + port + "/admin/delete-everything",
                "http://2130706433:" + port + "/admin/delete-everything",
                "HTTP://[::ffff:127.0.0.1]:" + port + "/admin/delete-everything",
                "http://169.254.169.254/latest/meta-data/");
        AtomicInteger redirects = new AtomicInteger();
        v4.createContext("/go", exchange -> {
            int n = Integer.parseInt(exchange.getRequestURI().getQuery());
            redirects.incrementAndGet();
            exchange.getResponseHeaders().set("Location", targets.get(n));
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        UrlFetch fetch = fetcher("localhost");
        for (int n = 0; n < targets.size(); n++) {
            String error = refusal(fetch, "http://localhost:" + port + "/go?" + n);
            assertTrue(error.contains("could not be fetched: it redirects to host '"), error);
            assertTrue(error.endsWith(NOT_PUBLIC), error);
        }
        assertEquals(targets.size(), redirects.get());
        assertEquals(List.of(), hits, "the redirects' targets were never requested");
    }

    @Test
    void anAllowedAddressOrNameIsFetched() {
        assertArrayEquals(PICTURE, fetch(fetcher("127.0.0.1"), "http://127.0.0.1:" + port + "/pic.png"));
        assertArrayEquals(PICTURE, fetch(fetcher("127.0.0.0/8"), "HTTP://127.0.0.1:" + port + "/pic.png"));
        assertArrayEquals(PICTURE, fetch(fetcher("10.1.0.0/16, localhost"), "http://localhost:" + port + "/pic.png"));
        assertEquals(List.of("GET /pic.png", "GET /pic.png", "GET /pic.png"), hits);
        // a name lets through what it resolves to, not every spelling of that address
        refusal(fetcher("localhost"), "http://127.0.0.1:" + port + "/pic.png");
        assertEquals(3, hits.size());
    }

    @Test
    void theConnectionGoesToTheAddressThatWasCheckedAndTheClientNeverLooksUpANameItself() {
        // a name the system cannot resolve: only the fetch's own lookup knows it, once per request
        AtomicInteger lookups = new AtomicInteger();
        PinnedHosts hosts = new PinnedHosts(AllowHosts.parse("127.0.0.1/32", "test"), host -> {
            lookups.incrementAndGet();
            return new InetAddress[] {InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1})};
        });
        UrlFetch fetch = new UrlFetch(Duration.ofSeconds(5), DEADLINE, hosts);
        closing.add(fetch);
        assertArrayEquals(PICTURE, fetch(fetch, "http://media.example.test:" + port + "/pic.png"));
        assertEquals(1, lookups.get());
        assertEquals(List.of("GET /pic.png"), hits);
    }

    @Test
    void aClosedPortAnOpenOneAndAWebServersErrorReadAlike() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closed = s.getLocalPort();
        }
        v4.createContext("/missing", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        v4.createContext("/broken", exchange -> {
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        int hangsUp = rawServer(socket -> { });
        int speaksSsh = rawServer(socket -> {
            socket.getOutputStream().write("SSH-2.0-OpenSSH_9.2\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            socket.getInputStream().read(new byte[1024]);
        });
        int silent = rawServer(socket -> socket.getInputStream().transferTo(OutputStream.nullOutputStream()));
        UrlFetch fetch = fetcher("127.0.0.0/8");
        Set<String> errors = new LinkedHashSet<>();
        for (int p : List.of(closed, hangsUp, speaksSsh, silent)) {
            errors.add(refusal(fetch, "http://127.0.0.1:" + p + "/x.png").replace(":" + p + "/", ":PORT/"));
        }
        errors.add(refusal(fetch, "http://127.0.0.1:" + port + "/missing").replace(":" + port + "/missing",
                ":PORT/x.png"));
        errors.add(refusal(fetch, "http://127.0.0.1:" + port + "/broken").replace(":" + port + "/broken",
                ":PORT/x.png"));
        assertEquals(Set.of("image.source_url 'http://127.0.0.1:PORT/x.png' could not be fetched (no whole answer with "
                + "HTTP 200 within 1000 ms)"), errors);
    }

    @Test
    void aServerTricklingItsHeadersIsCutAtTheDeadline() throws Exception {
        AtomicBoolean hungUp = new AtomicBoolean();
        // a status line, then a header a byte every 100 ms: 600 bytes, a minute, and never more than the
        // socket timeout between two bytes
        int trickling = rawServer(socket -> {
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
        String error = refusal(fetcher("127.0.0.1"), "http://127.0.0.1:" + trickling + "/slow.png");
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
        v4.createContext("/hop", exchange -> {
            int n = Integer.parseInt(exchange.getRequestURI().getQuery());
            pause(400);
            if (n < 3) {
                exchange.getResponseHeaders().set("Location", "/hop?" + (n + 1));
                exchange.sendResponseHeaders(302, -1);
            } else {
                hits.add("GET /hop?3");
                exchange.getResponseHeaders().set("Content-Type", "image/png");
                exchange.sendResponseHeaders(200, PICTURE.length);
                exchange.getResponseBody().write(PICTURE);
            }
            exchange.close();
        });
        String error = refusal(fetcher("127.0.0.1"), "http://127.0.0.1:" + port + "/hop?0");
        assertTrue(error.endsWith("could not be fetched (no whole answer with HTTP 200 within 1000 ms)"), error);
        assertEquals(List.of(), hits, "the last hop was never answered");
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
            throw new java.net.UnknownHostException(host);
        });
        UrlFetch fetch = new UrlFetch(Duration.ofSeconds(5), DEADLINE, hosts);
        closing.add(fetch);
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

    private interface Conversation {
        void talk(Socket socket) throws IOException;
    }

    /** A TCP server on 127.0.0.1 that holds each connection as {@code conversation} says, then closes it. */
    private int rawServer(Conversation conversation) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        closing.add(server);
        threads.execute(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    threads.execute(() -> {
                        try (socket; InputStream ignored = socket.getInputStream()) {
                            conversation.talk(socket);
                        } catch (IOException e) {
                            // the client went away
                        }
                    });
                } catch (IOException e) {
                    return; // closed at the end of the test
                }
            }
        });
        return server.getLocalPort();
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
