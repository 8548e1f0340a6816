package dev.kefurelay.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Ticker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * WXBizMsgCrypt against the vectors of Tencent's samples and the SDKs (../shared/fixtures/wxbizmsgcrypt-vectors.json,
 * read from the repository's parent folder; skipped when absent), and the hardening around it.
 */
class PushCryptoTest {

    static final Path FIXTURE = fixture();

    private static Path fixture() {
        // the module's folder when Maven runs it per module, the repository's root otherwise
        for (String base : List.of("../shared", "../../shared")) {
            Path p = Path.of(base, "fixtures", "wxbizmsgcrypt-vectors.json");
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    static Stream<JsonNode> vectors() throws Exception {
        assumeTrue(FIXTURE != null, "../shared/fixtures/wxbizmsgcrypt-vectors.json is absent: vectors skipped");
        List<JsonNode> out = new ArrayList<>();
        new ObjectMapper().readTree(FIXTURE.toFile()).forEach(out::add);
        return out.stream();
    }

    static Stream<Arguments> positive() throws Exception {
        return vectors().filter(v -> v.path("expect").asText().equals("ok")).map(v -> Arguments.of(v.path("id").asText(), v));
    }

    static Stream<Arguments> negative() throws Exception {
        return vectors().filter(v -> !v.path("expect").asText().equals("ok")).map(v -> Arguments.of(v.path("id").asText(), v));
    }

    private static PushCrypto crypto(JsonNode v) {
        return new PushCrypto(v.path("token").asText(), v.path("encoding_aes_key").asText(), null,
                v.path("receive_id").asText(), "test");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("positive")
    void everyPositiveVectorVerifiesAndDecryptsToItsPlaintext(String id, JsonNode v) {
        PushCrypto crypto = crypto(v);
        String expected = v.path("expected_plaintext").asText();
        String ts = v.path("timestamp").asText();
        String nonce = v.path("nonce").asText();
        if (v.has("encrypt")) {
            String encrypt = v.path("encrypt").asText();
            assertEquals(expected, crypto.decrypt(v.path("msg_signature").asText(), ts, nonce, encrypt), v.path("id").asText());
            // deterministic with the vector's random prefix: our encryption gives the published ciphertext byte for byte
            PushCrypto.Encrypted again = crypto.encrypt(expected, ts, nonce,
                    v.path("random_prefix").asText().getBytes(StandardCharsets.ISO_8859_1));
            assertEquals(encrypt, again.encrypt());
            assertEquals(v.path("msg_signature").asText(), again.msgSignature());
        }
        if (v.has("echostr")) {
            Map<String, String> query = Map.of("msg_signature", v.path("msg_signature").asText(), "timestamp", ts,
                    "nonce", nonce, "echostr", v.path("echostr").asText());
            assertEquals(expected, receiver(crypto, Duration.ZERO).verify(query, new byte[0]));
        }
        if (v.has("post_xml") && expected.startsWith("<xml>")) {
            Map<String, String> query = Map.of("msg_signature", v.path("msg_signature").asText(), "timestamp", ts,
                    "nonce", nonce, "encrypt_type", "aes");
            Map<String, Object> fields = receiver(crypto, Duration.ZERO)
                    .receive(query, v.path("post_xml").asText().getBytes(StandardCharsets.UTF_8));
            assertEquals(PushXml.parse(expected, PushXml.DEFAULT_MAX_BYTES), fields);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("negative")
    void everyNegativeVectorIsRefusedForItsReason(String id, JsonNode v) {
        PushRefusedException e = assertThrows(PushRefusedException.class, () -> crypto(v).decrypt(
                v.path("msg_signature").asText(), v.path("timestamp").asText(), v.path("nonce").asText(),
                v.path("encrypt").asText()));
        PushRefusedException.Why expected = switch (v.path("expect").asText()) {
            case "bad-signature" -> PushRefusedException.Why.BAD_SIGNATURE;
            case "bad-receive-id" -> PushRefusedException.Why.BAD_RECEIVE_ID;
            default -> throw new AssertionError("unknown expectation " + v.path("expect"));
        };
        assertEquals(expected, e.why(), e.getMessage());
        assertFalse(e.getMessage().contains(v.path("token").asText()));
        assertFalse(e.getMessage().contains(v.path("encoding_aes_key").asText()));
    }

    static final String KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    static final String OTHER_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";

    @Test
    void ownEncryptionRoundTripsForEveryPadLength() {
        PushCrypto crypto = new PushCrypto("tok", KEY, null, "wxappid0001", "test");
        StringBuilder message = new StringBuilder();
        // every length from 0 to 70 bytes covers every pad from 1 to 32 (a whole block of padding included)
        for (int i = 0; i <= 70; i++) {
            PushCrypto.Encrypted e = crypto.encrypt(message.toString(), "1700000000", "n" + i);
            assertEquals(message.toString(), crypto.decrypt(e.msgSignature(), "1700000000", "n" + i, e.encrypt()));
            message.append(i % 3 == 0 ? "中" : "a");
        }
    }

    @Test
    void thePreviousKeyStillOpensPushesDuringAKeyChange() {
        PushCrypto old = new PushCrypto("tok", OTHER_KEY, null, "wxappid0001", "test");
        PushCrypto changed = new PushCrypto("tok", KEY, OTHER_KEY, "wxappid0001", "test");
        PushCrypto.Encrypted e = old.encrypt("<xml><A>1</A></xml>", "1700000000", "n");
        assertEquals("<xml><A>1</A></xml>", changed.decrypt(e.msgSignature(), "1700000000", "n", e.encrypt()));
        PushCrypto withoutFallback = new PushCrypto("tok", KEY, null, "wxappid0001", "test");
        assertThrows(PushRefusedException.class, () -> withoutFallback.decrypt(e.msgSignature(), "1700000000", "n", e.encrypt()));
    }

    @Test
    void aKeyThatIsNotAnEncodingAesKeyIsNamedNotShown() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PushCrypto("tok", "short-key-value", null, "wx1", "kefu.push.aes-key"));
        assertTrue(e.getMessage().startsWith("kefu.push.aes-key"));
        assertFalse(e.getMessage().contains("short-key-value"));
        assertFalse(new PushCrypto("secret-token-x", KEY, null, "wx1", "k").toString().contains("secret-token-x"));
    }

    @Test
    void anXxePayloadReadsNoFile(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET-FILE-CONTENT");
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>"
                + "<xml><Content>&x;</Content></xml>";
        PushRefusedException e = assertThrows(PushRefusedException.class, () -> PushXml.parse(xxe, 64 * 1024));
        assertEquals(PushRefusedException.Why.MALFORMED, e.why());
        assertFalse(e.getMessage().contains("TOP-SECRET"));
        // an internal entity bomb is refused the same way: no DOCTYPE at all
        String bomb = "<!DOCTYPE xml [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]><xml><C>&b;</C></xml>";
        assertEquals(PushRefusedException.Why.MALFORMED,
                assertThrows(PushRefusedException.class, () -> PushXml.parse(bomb, 64 * 1024)).why());
    }

    @Test
    void oversizedAndMalformedXmlAreRefusedWithoutQuotingIt() {
        String big = "<xml><C>" + "x".repeat(2000) + "</C></xml>";
        assertEquals(PushRefusedException.Why.TOO_LARGE,
                assertThrows(PushRefusedException.class, () -> PushXml.parse(big, 1024)).why());
        PushRefusedException e = assertThrows(PushRefusedException.class,
                () -> PushXml.parse("<xml><Ticket>ticket@@@secret</Ticket", 1024));
        assertEquals(PushRefusedException.Why.MALFORMED, e.why());
        assertFalse(e.getMessage().contains("secret"));
    }

    @Test
    void aReplayedPushIsRefusedAndAnOldOneToo() {
        Instant now = Instant.parse("2026-12-02T05:00:00Z");
        PushCrypto crypto = new PushCrypto("tok", KEY, null, "wx1", "test");
        PushReceiver receiver = new PushReceiver("wx1", crypto,
                new ReplayGuard(Duration.ofMinutes(5), Clock.fixed(now, ZoneOffset.UTC), Ticker.systemTicker()), 65536);
        String ts = String.valueOf(now.getEpochSecond());
        PushCrypto.Encrypted e = crypto.encrypt("<xml><MsgId>1</MsgId></xml>", ts, "nonce-1");
        Map<String, String> query = new HashMap<>(Map.of("timestamp", ts, "nonce", "nonce-1", "msg_signature", e.msgSignature()));
        byte[] body = e.pushXml("gh_1").getBytes(StandardCharsets.UTF_8);
        assertEquals("1", receiver.receive(query, body).get("MsgId"));
        // not yet handled: WeChat's retry of a push that failed here is still taken
        assertEquals("1", receiver.receive(query, body).get("MsgId"));
        receiver.taken(query);
        assertEquals(PushRefusedException.Why.REPLAYED,
                assertThrows(PushRefusedException.class, () -> receiver.receive(query, body)).why());

        String old = String.valueOf(now.minusSeconds(301).getEpochSecond());
        PushCrypto.Encrypted stale = crypto.encrypt("<xml><MsgId>2</MsgId></xml>", old, "nonce-2");
        Map<String, String> q2 = Map.of("timestamp", old, "nonce", "nonce-2", "msg_signature", stale.msgSignature());
        assertEquals(PushRefusedException.Why.STALE, assertThrows(PushRefusedException.class,
                () -> receiver.receive(q2, stale.pushXml("gh_1").getBytes(StandardCharsets.UTF_8))).why());
    }

    @Test
    void plaintextModeChecksTheSignatureAndUrlVerificationEchoes() {
        PushCrypto plain = new PushCrypto("tok", null, null, "wx1", "test");
        PushReceiver receiver = receiver(plain, Duration.ZERO);
        String sig = PushCrypto.signature("tok", "1700000000", "n1");
        Map<String, String> query = Map.of("signature", sig, "timestamp", "1700000000", "nonce", "n1", "echostr", "e123");
        assertEquals("e123", receiver.verify(query, null));
        assertEquals("hi", receiver.receive(query, "<xml><Content>hi</Content></xml>".getBytes(StandardCharsets.UTF_8))
                .get("Content"));
        Map<String, String> bad = Map.of("signature", sig, "timestamp", "1700000001", "nonce", "n1", "echostr", "e123");
        assertEquals(PushRefusedException.Why.BAD_SIGNATURE,
                assertThrows(PushRefusedException.class, () -> receiver.verify(bad, null)).why());
    }

    @Test
    void inboundJsonCarriesTheContractKeysAndEveryField() throws Exception {
        Map<String, Object> fields = PushXml.parse("<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName>"
                + "<![CDATA[o-user]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[event]]>"
                + "</MsgType><Event><![CDATA[scancode_push]]></Event><ScanCodeInfo><ScanType>qrcode</ScanType>"
                + "</ScanCodeInfo></xml>", 65536);
        InboundMessage m = new InboundMessage("wx1", fields);
        JsonNode json = new ObjectMapper().readTree(m.toJson());
        assertEquals("o-user", json.path("openid").asText());
        assertEquals("event", json.path("type").asText());
        assertEquals("scancode_push", json.path("event").asText());
        assertEquals(1700000000L, json.path("time").asLong());
        assertEquals("qrcode", json.path("fields").path("ScanCodeInfo").path("ScanType").asText());
        assertEquals("wx1:event:o-user:1700000000:scancode_push", m.dedupeKey());
    }

    private static PushReceiver receiver(PushCrypto crypto, Duration window) {
        return new PushReceiver("test", crypto, new ReplayGuard(window, Clock.systemUTC(), Ticker.systemTicker()), 65536);
    }
}
