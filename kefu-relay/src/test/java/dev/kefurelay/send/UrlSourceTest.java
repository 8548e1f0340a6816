package dev.kefurelay.send;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.testkit.JmsTestClient;
import dev.kefurelay.testkit.KefuSandboxExtension;
import jakarta.jms.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Media sources of messages that come over JMS, end to end: the relay's embedded broker over a real socket, its
 * settings, the sandbox over real HTTP, and a local web server that records every request. What the relay refuses
 * reaches the dead-letter queue as invalid-input with a reason that names the setting to change, and never tells
 * what answered on a port.
 */
class UrlSourceTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final KefuSandboxExtension wechat = new KefuSandboxExtension()
            .withProperty("kefu.media.allow-hosts", "localhost")
            .withProperty("kefu.media.url-timeout", "1s");

    private final List<String> hits = new CopyOnWriteArrayList<>();
    private HttpServer web;
    private int port;
    private JmsTestClient jms;

    @BeforeEach
    void start() throws Exception {
        web = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        web.createContext("/pic.jpg", exchange -> {
            hits.add(exchange.getRequestURI().getPath());
            byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 0x10, 'J', 'F', 'I', 'F', 0};
            exchange.getResponseHeaders().set("Content-Type", "image/jpeg");
            exchange.sendResponseHeaders(200, jpeg.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(jpeg);
            }
        });
        web.createContext("/admin/purge", exchange -> {
            hits.add(exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        web.start();
        port = web.getAddress().getPort();
        jms = new JmsTestClient(wechat.brokerUrl(), "kefu.outbound");
    }

    @AfterEach
    void stop() throws Exception {
        jms.close();
        web.stop(0);
    }

    private static String image(String user, String key, String value) {
        return "{\"touser\":\"" + user + "\",\"msgtype\":\"image\",\"image\":{\"" + key + "\":\"" + value + "\"}}";
    }

    /** The dead letters of {@code count} messages sent now. */
    private List<Message> deadLetters(int count) throws Exception {
        List<Message> dead = new ArrayList<>();
        await().atMost(WAIT).until(() -> {
            dead.addAll(jms.drain("kefu.outbound.dlq"));
            return dead.size() >= count;
        });
        return dead;
    }

    @Test
    void aLoopbackAddressIsRefusedAndTheAllowedHostDelivered() throws Exception {
        jms.sendText(image("oUrlUser1", "source_url", "http://127.0.0.1:" + port + "/admin/purge"));
        Message dead = deadLetters(1).get(0);
        assertEquals("invalid-input", dead.getStringProperty("KefuReason"));
        assertEquals("image.source_url 'http://127.0.0.1:" + port + "/admin/purge' could not be fetched: "
                + "host '127.0.0.1', which has no public address; to fetch from it, add the host or its address range "
                + "to kefu.media.allow-hosts (component option mediaAllowHosts)", dead.getStringProperty("KefuErrmsg"));
        assertEquals(List.of(), hits, "the admin API was never called");

        jms.sendText(image("oUrlUser2", "source_url", "http://localhost:" + port + "/pic.jpg"));
        await().atMost(WAIT).until(() -> wechat.sandbox().deliveredCount() == 1);
        WeChatSandbox.Delivered delivered = wechat.delivered().get(0);
        assertEquals("oUrlUser2", delivered.body().path("touser").asText());
        assertEquals(wechat.sandbox().uploads().get(0).mediaId(), delivered.body().path("image").path("media_id")
                .asText());
        assertEquals(List.of("/pic.jpg"), hits);
    }

    @Test
    void theDeadLetterIsTheSameForAClosedPortAnOpenOneAndAWebServersError() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closed = s.getLocalPort();
        }
        // open, but nothing is ever said on it: the fetch ends at kefu.media.url-timeout
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            List<Integer> ports = List.of(closed, silent.getLocalPort(), port);
            for (int p : ports) {
                jms.sendText(image("oPortUser", "source_url", "http://localhost:" + p + "/admin/purge"));
            }
            Set<String> errmsgs = new LinkedHashSet<>();
            for (Message dead : deadLetters(ports.size())) {
                assertEquals("invalid-input", dead.getStringProperty("KefuReason"));
                String errmsg = dead.getStringProperty("KefuErrmsg");
                for (int p : ports) {
                    errmsg = errmsg.replace("localhost:" + p + "/", "localhost:PORT/");
                }
                errmsgs.add(errmsg);
            }
            assertEquals(Set.of("image.source_url 'http://localhost:PORT/admin/purge' could not be "
                    + "fetched (no whole answer with HTTP 200 within 1000 ms)"), errmsgs);
        }
        assertEquals(List.of("/admin/purge"), hits, "the web server answered 404");
        assertEquals(0, wechat.sandbox().sendCalls());
    }

    @Test
    void aFileNameTheFileSystemRefusesIsInvalidInput() throws Exception {
        jms.sendText(image("oNulUser", "file", "bad\\u0000name.jpg"));
        Message dead = deadLetters(1).get(0);
        assertEquals("invalid-input", dead.getStringProperty("KefuReason"));
        assertTrue(dead.getStringProperty("KefuErrmsg").startsWith("image.file 'bad\\u0000name.jpg' is not a valid "
                + "path"), dead.getStringProperty("KefuErrmsg"));
        assertEquals(0, wechat.sandbox().sendCalls());
    }
}
