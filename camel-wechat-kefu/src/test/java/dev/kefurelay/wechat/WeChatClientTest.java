package dev.kefurelay.wechat;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The transport against raw loopback servers that misbehave the way networks and proxies do. */
class WeChatClientTest {

    private static final String SEND = "/cgi-bin/message/custom/send";
    private static final String TOKEN = "TOKEN-SECRET-42";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private RawServer first;
    private RawServer second;
    private WeChatClient client;

    @AfterEach
    void close() throws IOException {
        if (client != null) {
            client.close();
        }
        for (RawServer s : new RawServer[] {first, second}) {
            if (s != null) {
                s.close();
            }
        }
    }

    @Test
    void theNextBaseUrlIsTriedWhenNoConnectionCouldBeMade() throws IOException {
        second = new RawServer(Behaviour.ANSWER);
        client = new WeChatClient(List.of(refusingUrl(), second.url()), TIMEOUT, TIMEOUT, false);
        WeChatReply reply = client.post(SEND, "access_token=" + TOKEN, "{}", true);
        assertEquals(200, reply.status());
        assertEquals(1, second.requests.get());
    }

    @Test
    void aLostAnswerToCustomSendIsAnUnknownOutcomeAndNeverGoesToTheNextBaseUrl() throws IOException {
        first = new RawServer(Behaviour.CLOSE_WITHOUT_ANSWER);
        second = new RawServer(Behaviour.ANSWER);
        client = new WeChatClient(List.of(first.url(), second.url()), TIMEOUT, TIMEOUT, false);
        SendFailedException e = assertThrows(SendFailedException.class,
                () -> client.post(SEND, "access_token=" + TOKEN, "{}", true));
        assertEquals(Reason.UNKNOWN_OUTCOME, e.reason());
        assertTrue(e.errmsg().contains(SEND), e.errmsg());
        assertFalse(e.getMessage().contains(TOKEN) || e.errmsg().contains(TOKEN), "the token leaked");
        assertEquals(1, first.requests.get(), "the client sent the POST once, never by itself again");
        assertEquals(0, second.requests.get(), "a request that went out is never failed over");
    }

    @Test
    void aPooledConnectionTheServerClosedIsCheckedNotTakenForAnUnknownOutcome() throws IOException {
        first = new RawServer(Behaviour.ANSWER_THEN_CLOSE);
        // validated after 1 ms idle instead of the production 1 s, so that the test need not wait that long
        client = new WeChatClient(List.of(first.url()), TIMEOUT, TIMEOUT, false, Duration.ofMillis(1));
        assertEquals(200, client.post(SEND, "access_token=" + TOKEN, "{}", true).status());
        await().atMost(TIMEOUT).until(() -> first.closed.get() == 1);
        assertEquals(200, client.post(SEND, "access_token=" + TOKEN, "{}", true).status());
        assertEquals(2, first.requests.get());
        assertEquals(2, first.connections.get(), "the closed connection was replaced, not reused");
    }

    @Test
    void aBaseUrlsPathPrefixAndTheQueryReachTheServerAndTheAnswerIsRead() throws IOException {
        first = new RawServer(Behaviour.ANSWER);
        // e.g. a reverse proxy in front of WeChat that serves it under a path
        client = new WeChatClient(List.of(URI.create(first.url() + "/wechat/")), TIMEOUT, TIMEOUT, false);
        WeChatReply reply = client.post(SEND, "access_token=" + TOKEN, "{}", true);
        assertEquals("POST /wechat" + SEND + "?access_token=" + TOKEN + " HTTP/1.1", first.requestLine.get());
        assertEquals(0, reply.errcode());
        assertEquals("ok", reply.errmsg());
        assertEquals("127.0.0.1:" + first.url().getPort(), first.hostHeader.get());
    }

    private static URI refusingUrl() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return URI.create("http://127.0.0.1:" + s.getLocalPort());
        }
    }

    private enum Behaviour { ANSWER, ANSWER_THEN_CLOSE, CLOSE_WITHOUT_ANSWER }

    /** HTTP/1.1 on a socket: reads each request whole, then answers (keep-alive), answers and closes, or closes. */
    private static final class RawServer implements AutoCloseable {
        final AtomicInteger connections = new AtomicInteger();
        final AtomicInteger requests = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();
        final AtomicReference<String> requestLine = new AtomicReference<>();
        final AtomicReference<String> hostHeader = new AtomicReference<>();
        private final ServerSocket socket;
        private final Behaviour behaviour;

        RawServer(Behaviour behaviour) throws IOException {
            this.behaviour = behaviour;
            this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(this::accept, "raw-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket connection = socket.accept();
                    connections.incrementAndGet();
                    Thread t = new Thread(() -> serve(connection), "raw-connection");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket connection) {
            try (connection; InputStream in = connection.getInputStream(); OutputStream out = connection.getOutputStream()) {
                while (readRequest(in)) {
                    requests.incrementAndGet();
                    if (behaviour == Behaviour.CLOSE_WITHOUT_ANSWER) {
                        return;
                    }
                    byte[] body = "{\"errcode\":0,\"errmsg\":\"ok\"}".getBytes(StandardCharsets.UTF_8);
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                            + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body);
                    out.flush();
                    if (behaviour == Behaviour.ANSWER_THEN_CLOSE) {
                        return;
                    }
                }
            } catch (IOException e) {
                // the client went away: nothing to answer
            } finally {
                closed.incrementAndGet();
            }
        }

        /** Reads headers and a Content-Length body; false at the end of the stream. */
        private boolean readRequest(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                head.write(b);
                if (head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                    break;
                }
            }
            if (b < 0) {
                return false;
            }
            int length = 0;
            String[] lines = head.toString(StandardCharsets.US_ASCII).split("\r\n");
            requestLine.set(lines[0]);
            for (String line : lines) {
                if (line.toLowerCase(Locale.ROOT).startsWith("host:")) {
                    hostHeader.set(line.substring(line.indexOf(':') + 1).strip());
                }
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(line.indexOf(':') + 1).strip());
                }
            }
            in.readNBytes(length);
            return true;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
