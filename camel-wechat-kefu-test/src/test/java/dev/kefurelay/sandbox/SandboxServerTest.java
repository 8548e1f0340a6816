package dev.kefurelay.sandbox;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The HTTP server itself: loopback only, keep-alive, many clients at once, unknown paths, the standalone main. */
class SandboxServerTest extends SandboxTestSupport {

    // ---- HTTP behaviour -------------------------------------------------------------------------------------

    @Test
    void unknownPathsAnswer404() throws Exception {
        assertEquals(404, get("/cgi-bin/menu/create").status());
        assertEquals(404, post("/", "{}").status());
        assertEquals(404, post("/cgi-bin/message/custom/send/extra?access_token=x", "{}").status());
        assertEquals(0, sandbox.sendCalls());
    }

    @Test
    void listensOnLoopbackOnly() throws Exception {
        assertEquals("http://127.0.0.1:" + sandbox.port(), sandbox.baseUrl());
        InetAddress external = NetworkInterface.networkInterfaces()
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .findFirst().orElse(null);
        assumeTrue(external != null, "this host has no non-loopback IPv4 address to try");

        try (Socket socket = new Socket()) {
            assertThrows(ConnectException.class,
                    () -> socket.connect(new InetSocketAddress(external, sandbox.port()), 2000));
        }
    }

    @Test
    void oneConnectionServesRequestAfterRequest() throws Exception {
        try (RawConnection connection = new RawConnection(sandbox.port())) {
            String token = MAPPER.readTree(connection.get(tokenPath())).get("access_token").asText();
            for (int i = 0; i < 5; i++) {
                String reply = connection.post("/cgi-bin/message/custom/send?access_token=" + token, text(OPENID, "n" + i));
                assertEquals("{\"errcode\":0,\"errmsg\":\"ok\"}", reply);
            }
        }
        assertEquals(5, sandbox.deliveredCount());
    }

    @Test
    void keepsMoreThan200IdleConnectionsAlive() throws Exception {
        List<RawConnection> connections = new ArrayList<>();
        try {
            for (int i = 0; i < 250; i++) {
                RawConnection connection = new RawConnection(sandbox.port());
                connections.add(connection);
                connection.get(tokenPath());
            }
            // Every connection is idle now; a server that dropped some beyond its idle limit fails here.
            for (RawConnection connection : connections) {
                assertTrue(connection.get(tokenPath()).contains("access_token"));
            }
        } finally {
            for (RawConnection connection : connections) {
                connection.close();
            }
        }
        assertEquals(500, sandbox.tokenFetches(APPID));
    }

    @Test
    void twoHundredSendsFromSixteenThreadsAreAllRecorded() throws Exception {
        String token = clientToken();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Reply>> replies = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String content = "message " + i;
                replies.add(pool.submit(() -> send(token, text(OPENID, content))));
            }
            for (Future<Reply> reply : replies) {
                assertOk(reply.get());
            }
        } finally {
            pool.shutdownNow();
        }

        assertEquals(200, sandbox.deliveredCount());
        assertEquals(200, sandbox.sendCalls());
        Set<String> contents = new HashSet<>();
        sandbox.delivered().forEach(d -> contents.add(d.body().get("text").get("content").asText()));
        assertEquals(IntStream.range(0, 200).mapToObj(i -> "message " + i).collect(java.util.stream.Collectors.toSet()),
                contents);
    }

    @Test
    void servesTwoHundredFiftySlowRequestsInParallel() throws Exception {
        String token = clientToken();
        sandbox.latency(Duration.ofSeconds(1));

        long start = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(sandbox.baseUrl()
                            + "/cgi-bin/message/custom/send?access_token=" + token))
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(text(OPENID, "p" + i), UTF_8))
                    .build();
            replies.add(HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString(UTF_8)));
        }
        for (CompletableFuture<HttpResponse<String>> reply : replies) {
            assertOk(Reply.of(reply.get()));
        }

        // Served one after another by a small pool this would take 250 s / threads; 8 s allows for a slow machine
        // while still failing for any pool under ~32 threads.
        long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
        assertTrue(seconds < 8, "took " + seconds + " s");
        assertEquals(250, sandbox.deliveredCount());
    }

    @Test
    void sandboxMainServesTheDemoAccount() throws Exception {
        try (WeChatSandbox demo = SandboxMain.start(0)) {
            HttpResponse<String> reply = HTTP.send(HttpRequest.newBuilder(URI.create(demo.baseUrl()
                    + "/cgi-bin/token?grant_type=client_credential&appid=wxsandbox000000001&secret=sandbox-secret"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(MAPPER.readTree(reply.body()).has("access_token"), reply.body());
        }
    }

    /** Plain HTTP/1.1 on one socket, to see for certain that the server keeps the connection open. */
    private static final class RawConnection implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        RawConnection(int port) throws IOException {
            socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(10_000);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }

        String get(String pathAndQuery) throws IOException {
            return exchange("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", new byte[0]);
        }

        String post(String pathAndQuery, String body) throws IOException {
            byte[] bytes = body.getBytes(UTF_8);
            return exchange("POST " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + bytes.length + "\r\n\r\n", bytes);
        }

        private String exchange(String head, byte[] body) throws IOException {
            out.write(head.getBytes(UTF_8));
            out.write(body);
            out.flush();
            String statusLine = readLine();
            assertTrue(statusLine.startsWith("HTTP/1.1 200"), statusLine);
            int length = -1;
            for (String line = readLine(); !line.isEmpty(); line = readLine()) {
                if (line.toLowerCase().startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring("content-length:".length()).trim());
                }
            }
            assertTrue(length >= 0, "no Content-Length: the connection could not be kept alive");
            return new String(in.readNBytes(length), UTF_8);
        }

        private String readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("connection closed by the server");
                }
                if (b != '\r') {
                    line.write(b);
                }
            }
            return line.toString(UTF_8);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
