package dev.kefurelay.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.testkit.WeChatKefuSandboxExtension;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * source_url end to end through the component, the sandbox over real HTTP: by default no address that is not public
 * is fetched, however the message spells it, and a local server that records every request is never reached (nor
 * its picture uploaded or delivered); the component's option lets an operator's own media host through.
 */
class WeChatKefuUrlSourceTest {

    @RegisterExtension
    static final WeChatKefuSandboxExtension wechat = new WeChatKefuSandboxExtension();
    private static WeChatSandbox sandbox;

    private final List<String> hits = new CopyOnWriteArrayList<>();
    private HttpServer web;
    private int port;
    private CamelContext camel;

    @BeforeAll
    static void sandbox() {
        sandbox = wechat.sandbox().requireUploadedMedia(true);
    }

    @BeforeEach
    void recordingServer() throws IOException {
        byte[] png = MediaFixture.png(8, 8);
        web = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        web.createContext("/pic.png", exchange -> {
            hits.add(exchange.getRequestURI().getPath());
            exchange.getResponseHeaders().set("Content-Type", "image/png");
            exchange.sendResponseHeaders(200, png.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(png);
            }
        });
        web.createContext("/to-loopback", exchange -> {
            hits.add(exchange.getRequestURI().getPath());
            exchange.getResponseHeaders().set("Location", "http://127.0.0.1:" + port + "/pic.png");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        web.start();
        port = web.getAddress().getPort();
    }

    @AfterEach
    void stop() throws Exception {
        if (camel != null) {
            camel.close();
        }
        web.stop(0);
    }

    private void start(String allowHosts) {
        camel = new DefaultCamelContext();
        WeChatKefuComponent component = wechat.configure(camel);
        component.getConfiguration().setMediaUrlTimeout(Duration.ofSeconds(5));
        component.getConfiguration().setMediaAllowHosts(allowHosts);
        camel.start();
    }

    private Exchange send(String url) {
        String body = "{\"touser\":\"oUrlSafety\",\"msgtype\":\"image\",\"image\":{\"source_url\":\"" + url + "\"}}";
        return camel.createProducerTemplate().request("wechat-kefu:send?failure=outcome",
                e -> e.getMessage().setBody(body));
    }

    @Test
    void byDefaultNoSpellingOfALocalOrPrivateAddressIsFetched() {
        start(null);
        List<String> urls = List.of("http://127.0.0.1:" + port + "/pic.png", "http://localhost:" + port + "/pic.png",
                "HTTP://127.0.0.1:" + port + "/pic.png", "http://2130706433:" + port + "/pic.png",
                "http://[::ffff:127.0.0.1]:" + port + "/pic.png", "http://0.0.0.0:" + port + "/pic.png",
                "http://[::1]:" + port + "/pic.png", "http://10.0.0.1/pic.png", "http://169.254.169.254/pic.png");
        for (String url : urls) {
            Exchange reply = send(url);
            assertEquals("invalid-input", reply.getMessage().getHeader(KefuHeaders.REASON), url);
            String errmsg = reply.getMessage().getHeader(KefuHeaders.ERRMSG, String.class);
            assertTrue(errmsg.startsWith("image.source_url '"), errmsg);
            assertTrue(errmsg.endsWith("which has no public address; to fetch from it, add the host or its address "
                    + "range to kefu.media.allow-hosts (component option mediaAllowHosts)"), errmsg);
        }
        assertEquals(List.of(), hits, "the local server was never asked");
        assertEquals(List.of(), sandbox.uploads());
        assertEquals(0, sandbox.sendCalls());
    }

    @Test
    void anAllowedHostIsFetchedAndWhereItRedirectsIsCheckedAgain() {
        start("localhost");
        Exchange allowed = send("http://localhost:" + port + "/pic.png");
        assertEquals("delivered", allowed.getMessage().getHeader(KefuHeaders.OUTCOME),
                allowed.getMessage().getBody(String.class));
        assertEquals(1, sandbox.uploads().size());
        assertEquals(List.of("/pic.png"), hits);

        // the name is let through, not every spelling of the address it has
        Exchange redirected = send("http://localhost:" + port + "/to-loopback");
        assertEquals("invalid-input", redirected.getMessage().getHeader(KefuHeaders.REASON));
        assertTrue(redirected.getMessage().getHeader(KefuHeaders.ERRMSG, String.class).contains("it redirects to host "
                + "'127.0.0.1', which has no public address"));
        assertEquals(List.of("/pic.png", "/to-loopback"), hits, "the redirect's target was never asked");
        assertEquals(1, sandbox.deliveredCount());
    }
}
