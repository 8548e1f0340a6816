package dev.kefurelay.receive;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.kefurelay.push.PushCrypto;
import dev.kefurelay.sandbox.Pushes;
import dev.kefurelay.testkit.ComponentRelay;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The push port against a hostile client, over real HTTP and real sockets to a relay in mode component (safe
 * mode): pushes recorded on the wire and replayed as GETs, stale and reused URL verifications, and clients that
 * send half a request and go away.
 */
class HostilePushTest {

    private static final String FAILURES_LOGGER = "dev.kefurelay.receive.PushServerFailures";

    @RegisterExtension
    final ComponentRelay wechat = PushPlatform.relay();

    @AfterEach
    void failuresLoggerBackToInfo() {
        Configurator.setLevel(FAILURES_LOGGER, Level.INFO);
    }

    private static String param(String query, String name) {
        Matcher m = Pattern.compile("(?:^|&)" + name + "=([^&]*)").matcher(query);
        assertTrue(m.find(), name + " in " + query);
        return m.group(1);
    }

    private static String encryptOf(Pushes.Result recorded) {
        Matcher m = Pattern.compile("<Encrypt><!\\[CDATA\\[([^\\]]+)").matcher(recorded.sent());
        assertTrue(m.find(), "an encrypted push carries <Encrypt>");
        return m.group(1);
    }

    /** Every way a recorded POST's parts can be sent back as a GET, each answered as any refused GET is. */
    private void assertNoGetOpens(Pushes.Result recorded, String content) {
        String q = recorded.query();
        String signed = "timestamp=" + param(q, "timestamp") + "&nonce=" + param(q, "nonce") + "&msg_signature="
                + param(q, "msg_signature");
        String encrypt = Pushes.q(encryptOf(recorded));
        for (String attack : List.of(signed + "&echostr=" + encrypt, signed + "&Encrypt=" + encrypt,
                signed + "&echostr=" + encrypt + "&Encrypt=" + encrypt, q + "&echostr=" + encrypt,
                // the plain form's signature of the same push, with any echostr
                "timestamp=" + param(q, "timestamp") + "&nonce=" + param(q, "nonce") + "&signature="
                        + param(q, "signature") + "&echostr=12345")) {
            Pushes.Result r = wechat.pushes().get(recorded.path(), attack);
            assertRefused(r);
            assertFalse(r.body().contains(content), "the push's content answered to a GET");
        }
    }

    /** One answer for every refused GET, whatever failed: no oracle. */
    private static void assertRefused(Pushes.Result r) {
        // the answer itself is never printed: it could be a push's content (a ticket)
        assertEquals(403, r.status(), "status of a GET to " + r.path());
        assertTrue("refused".equals(r.body()), "a refused GET to " + r.path() + " answered something else");
    }

    @Test
    void aRecordedPushReplayedAsAGetIsRefusedAndItsContentNeverAnswered() throws Exception {
        String ticket = "ticket@@@recorded-" + System.nanoTime();
        wechat.secrets().add(ticket);
        Pushes.Result ticketPush = wechat.pushes().verifyTicket(ticket);
        assertTrue(ticketPush.success(), "status " + ticketPush.status());
        assertNoGetOpens(ticketPush, ticket);

        Pushes.Result message = wechat.pushes().userText(PushPlatform.AUTHORIZERS.get(0), "o-hostile-1",
                "private words 1");
        assertTrue(message.success(), "status " + message.status());
        assertNoGetOpens(message, "private words 1");

        // captured two days ago: its POST is refused as stale, its GET as any other
        String old = String.valueOf(System.currentTimeMillis() / 1000 - 2 * 86_400);
        String oldTicket = "ticket@@@two-days-old-" + System.nanoTime();
        wechat.secrets().add(oldTicket);
        Pushes.Result stale = wechat.pushes().push(Pushes.COMPONENT_PATH, "<xml><AppId><![CDATA["
                + PushPlatform.COMPONENT
                + "]]></AppId><CreateTime>" + old + "</CreateTime><InfoType><![CDATA[component_verify_ticket]]>"
                + "</InfoType><ComponentVerifyTicket><![CDATA[" + oldTicket + "]]></ComponentVerifyTicket></xml>", old,
                "nonce-two-days-old");
        assertEquals(409, stale.status());
        assertEquals("refused: stale", stale.body());
        assertNoGetOpens(stale, oldTicket);

        // a GET with the push as its body, properly signed as a verification otherwise
        String now = String.valueOf(System.currentTimeMillis() / 1000);
        java.net.http.HttpResponse<String> withBody = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + wechat.pushPort()
                        + Pushes.COMPONENT_PATH + "?timestamp=" + now + "&nonce=n-body&signature="
                        + PushCrypto.signature(PushPlatform.PUSH_TOKEN, now, "n-body") + "&echostr=1234567"))
                        .method("GET", java.net.http.HttpRequest.BodyPublishers.ofString(ticketPush.sent())).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(403, withBody.statusCode());
        assertEquals("refused", withBody.body());
        // the same, without the body, passes: it was refused for the body alone
        assertEquals("1234567", wechat.pushes().get(Pushes.COMPONENT_PATH, "timestamp=" + now
                + "&nonce=n-body&signature="
                + PushCrypto.signature(PushPlatform.PUSH_TOKEN, now, "n-body") + "&echostr=1234567").body());
        // a path that names no account gets the very same answer
        assertRefused(wechat.pushes().get(Pushes.ACCOUNTS_PATH + "not%20an%20appid", "echostr=1"));
        assertFalse(wechat.logs().text().contains("private words"), "no log line holds a push's content");
    }

    @Test
    void aFreshUrlVerificationPassesInBothFormsOnBothPathsOncePerNonce() {
        for (String path : List.of(Pushes.COMPONENT_PATH, Pushes.ACCOUNTS_PATH + PushPlatform.AUTHORIZERS.get(0))) {
            for (boolean encrypted : List.of(false, true)) {
                String echostr = String.valueOf(5_000_000_000_000_000_000L + System.nanoTime());
                String now = String.valueOf(System.currentTimeMillis() / 1000);
                String nonce = "n-" + System.nanoTime();
                Pushes.Result ok = wechat.pushes().verifyUrl(path, echostr, encrypted, now, nonce);
                assertEquals(200, ok.status(), path + (encrypted ? " (safe form)" : " (plain form)"));
                assertEquals(echostr, ok.body());
                // the same nonce again, as someone who saw the first would send it
                assertRefused(wechat.pushes().get(path, ok.query()));
                assertRefused(wechat.pushes().verifyUrl(path, echostr, encrypted, now, nonce));
                // stale: signed right, two days old
                String old = String.valueOf(System.currentTimeMillis() / 1000 - 2 * 86_400);
                assertRefused(wechat.pushes().verifyUrl(path, echostr, encrypted, old, "n-old-" + System.nanoTime()));
                // a forged signature
                assertRefused(wechat.pushes().get(path, ok.query().replace("nonce=" + nonce, "nonce=x" + nonce)));
            }
        }
        assertTrue(wechat.logs().text().contains("URL verification of component refused (REPLAYED)"),
                "the log says why");
        assertTrue(wechat.logs().text().contains("URL verification of component refused (STALE)"), "the log says why");
    }

    /** Sends part of a request in small pieces, as a slow client does, then closes (FIN) or resets (RST). */
    private void slowClient(String partialRequest, boolean reset) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), wechat.pushPort())) {
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            byte[] bytes = partialRequest.getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < bytes.length; i += 16) {
                out.write(bytes, i, Math.min(16, bytes.length - i));
                out.flush();
            }
            if (reset) {
                socket.setSoLinger(true, 0);
            }
        }
    }

    @Test
    void slowClientsThatGoAwayLogNoErrorAndNoStackTrace() throws Exception {
        Configurator.setLevel(FAILURES_LOGGER, Level.DEBUG);
        String account = Pushes.ACCOUNTS_PATH + PushPlatform.AUTHORIZERS.get(0);
        String partialBody = "POST " + account
                + "?timestamp=1&nonce=2 HTTP/1.1\r\nHost: relay\r\nContent-Type: text/xml"
                + "\r\nContent-Length: 4000\r\n\r\n<xml><ToUserName>gh</ToUserName><Encrypt>AAAA";
        String partialChunks = "POST " + Pushes.COMPONENT_PATH
                + " HTTP/1.1\r\nHost: relay\r\nTransfer-Encoding: chunked"
                + "\r\n\r\n40\r\n<xml><Encrypt>";
        List<String> partialHeaders = List.of("POST " + account + " HTTP/1.1\r\nHost: relay\r\nContent-Le",
                "GET " + Pushes.COMPONENT_PATH + "?echostr=1 HTTP/1.1\r\nHost: re", "GE");
        // resets first: whether the relay read their bytes before the reset or not, nothing may be logged
        for (String partial : partialHeaders) {
            slowClient(partial, true);
        }
        slowClient(partialBody, true);
        slowClient(partialChunks, true);
        for (String partial : partialHeaders) {
            slowClient(partial, false);
        }
        // closed mid-body: the relay surely read the headers, so each is a request that failed, one line each
        slowClient(partialBody, false);
        slowClient(partialChunks, false);
        await().atMost(Duration.ofSeconds(30)).until(() -> wechat.logs().lines().stream()
                .filter(l -> l.startsWith(FAILURES_LOGGER) || l.contains("Unhandled exception in router"))
                .count() >= 2);

        // a body over the server's own limit (4 x kefu.push.max-size) is cut with 413, not logged as an error
        Pushes.Result huge = wechat.pushes().post(account, "timestamp=1&nonce=3", "<xml>" + "A".repeat(300_000)
                + "</xml>");
        assertEquals(413, huge.status());
        // the push port still takes pushes
        assertTrue(wechat.pushes().userText(PushPlatform.AUTHORIZERS.get(0), "o-after-slow", "still here").success());

        assertEquals(List.of(), firstLines(wechat.logs().lines(Level.ERROR)), "no ERROR for clients that went away");
        assertEquals(List.of(), firstLines(wechat.logs().lines().stream().filter(l -> l.contains("\tat ")).toList()),
                "no stack trace at any level");
    }

    /** Logger and message of each line, without its stack trace. */
    private static List<String> firstLines(List<String> lines) {
        return lines.stream().map(l -> l.lines().findFirst().orElse("")).toList();
    }
}
