package dev.kefurelay.wechat;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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

    /**
     * A server that closes keep-alive connections idle for 200 ms, as a proxy with a short idle timeout does: the
     * connection it closed is found before custom/send is written onto it, with the production settings.
     */
    @Test
    void aConnectionTheServerClosedWhileIdleIsReplacedBeforeTheNextCustomSend() throws IOException {
        first = new RawServer(Behaviour.ANSWER_THEN_CLOSE_WHEN_IDLE);
        client = new WeChatClient(List.of(first.url()), TIMEOUT, TIMEOUT, false);
        for (int i = 1; i <= 3; i++) {
            assertEquals(200, client.post(SEND, "access_token=" + TOKEN, "{}", true).status(), "send " + i);
            int closes = i;
            // the server's idle close has happened (its socket is closed) before the next send goes
            await().atMost(TIMEOUT).until(() -> first.closed.get() == closes);
        }
        assertEquals(3, first.requests.get(), "every send reached the server once");
        assertEquals(3, first.connections.get(), "each closed connection was replaced, none reused");
    }

    /**
     * A request the server stopped reading after its headers and reset: the body never arrived whole, so WeChat
     * cannot have acted on it, and it is retried (not an unknown outcome).
     */
    @Test
    void aCustomSendCutWhileItWasBeingWrittenIsRetryableNotAnUnknownOutcome() throws IOException {
        first = new RawServer(Behaviour.RESET_AFTER_HEADERS);
        client = new WeChatClient(List.of(first.url()), TIMEOUT, TIMEOUT, false);
        // far beyond what the socket buffers on both sides hold: the writing is still going on when the reset comes
        String big = "{\"text\":\"" + "x".repeat(32 * 1024 * 1024) + "\"}";
        SendFailedException e = assertThrows(SendFailedException.class,
                () -> client.post(SEND, "access_token=" + TOKEN, big, true));
        assertInstanceOf(RetryableSendException.class, e, e.toString());
        assertTrue(e.errmsg().contains("could not be sent whole"), e.errmsg());
        assertFalse(e.errmsg().contains(TOKEN), "the token leaked");
        assertEquals(0, first.requests.get(), "no request reached the server whole");
    }

    @Test
    void anIdleConnectionIsRetiredBeforeTheServersAnnouncedTimeoutAndWithinFourSecondsWithout() {
        assertEquals(IdleConnections.MAX_IDLE, IdleConnections.limit(null));
        assertEquals(Duration.ofSeconds(4), IdleConnections.limit(Duration.ofSeconds(75)));
        assertEquals(Duration.ofSeconds(2), IdleConnections.limit(Duration.ofSeconds(3)));
        assertEquals(Duration.ZERO, IdleConnections.limit(Duration.ofSeconds(1)), "too short to keep at all");
        assertEquals(Duration.ZERO, IdleConnections.limit(Duration.ofSeconds(-5)));
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

    /**
     * The connection of an answered call is kept and carries the next call; that call's answer is waited for only as
     * long as the read timeout says, on the kept connection too (set as the connection is leased, not per call).
     */
    @Test
    void anAnsweredCallsConnectionCarriesTheNextWhoseMissingAnswerTimesOut() throws IOException {
        first = new RawServer(Behaviour.ANSWER_ONCE_THEN_SILENT);
        client = new WeChatClient(List.of(first.url()), TIMEOUT, Duration.ofMillis(300), false);
        assertEquals(0, client.post(SEND, "access_token=" + TOKEN, "{}", true).errcode());
        long started = System.nanoTime();
        SendFailedException e = assertThrows(SendFailedException.class,
                () -> client.post(SEND, "access_token=" + TOKEN, "{}", true));
        assertEquals(Reason.UNKNOWN_OUTCOME, e.reason(), e.errmsg());
        assertTrue(System.nanoTime() - started < TIMEOUT.toNanos(), "waited past the read timeout");
        assertEquals(2, first.requests.get());
        assertEquals(1, first.connections.get(), "the second call went on the first one's connection");
    }

    private static URI refusingUrl() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return URI.create("http://127.0.0.1:" + s.getLocalPort());
        }
    }

    private enum Behaviour { ANSWER, ANSWER_THEN_CLOSE, CLOSE_WITHOUT_ANSWER, ANSWER_THEN_CLOSE_WHEN_IDLE,
        RESET_AFTER_HEADERS, ANSWER_ONCE_THEN_SILENT }

    /** How long the server of {@link Behaviour#ANSWER_THEN_CLOSE_WHEN_IDLE} keeps an idle connection. */
    private static final int IDLE_CLOSE_MS = 200;

    /**
     * HTTP/1.1 on a socket: reads each request whole, then answers (keep-alive), answers and closes, closes, or
     * answers and closes once the connection was idle for {@link #IDLE_CLOSE_MS}, or answers the first request and
     * none after it until the client closes; or reads a request's headers and resets the connection.
     */
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
                if (behaviour == Behaviour.RESET_AFTER_HEADERS) {
                    readHead(in);
                    connection.setSoLinger(true, 0);
                    return;
                }
                if (behaviour == Behaviour.ANSWER_THEN_CLOSE_WHEN_IDLE) {
                    connection.setSoTimeout(IDLE_CLOSE_MS);
                }
                while (readRequest(in)) {
                    requests.incrementAndGet();
                    if (behaviour == Behaviour.CLOSE_WITHOUT_ANSWER) {
                        return;
                    }
                    if (behaviour == Behaviour.ANSWER_ONCE_THEN_SILENT && requests.get() > 1) {
                        // silent until the client gives up and closes
                        in.read();
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
            } catch (java.net.SocketTimeoutException e) {
                // idle for IDLE_CLOSE_MS: closed without a word, as servers do
            } catch (IOException e) {
                // the client went away: nothing to answer
            } finally {
                closed.incrementAndGet();
            }
        }

        /** Reads headers and a Content-Length body; false at the end of the stream. */
        private boolean readRequest(InputStream in) throws IOException {
            String head = readHead(in);
            if (head == null) {
                return false;
            }
            int length = 0;
            String[] lines = head.split("\r\n");
            requestLine.set(lines[0]);
            for (String line : lines) {
                if (line.toLowerCase(Locale.ROOT).startsWith("host:")) {
                    hostHeader.set(line.substring(line.indexOf(':') + 1).strip());
                }
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(line.indexOf(':') + 1).strip());
                }
            }
            if (in.readNBytes(length).length < length) {
                return false;
            }
            return true;
        }

        /** The request line and headers; null at the end of the stream. */
        private static String readHead(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                head.write(b);
                if (head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                    return head.toString(StandardCharsets.US_ASCII);
                }
            }
            return null;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
