package dev.kefurelay.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.kefurelay.message.AccountKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A Mini Program's pushes in the JSON form, plain and encrypted: the same fields as the XML form of the same push,
 * so everything after the receiver is shared; and refused as strictly as XML, never quoting the body.
 */
class PushJsonTest {

    /** WeChat's Mini Program customer-service docs: a user's text, in both forms. */
    static final String TEXT_JSON = "{\"ToUserName\":\"gh_mini\",\"FromUserName\":\"oMiniUser1\",\"CreateTime\":1482048670,"
            + "\"MsgType\":\"text\",\"Content\":\"this is a test\",\"MsgId\":7000000000000000001}";
    static final String TEXT_XML = "<xml><ToUserName><![CDATA[gh_mini]]></ToUserName><FromUserName><![CDATA[oMiniUser1]]>"
            + "</FromUserName><CreateTime>1482048670</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA["
            + "this is a test]]></Content><MsgId>7000000000000000001</MsgId></xml>";
    static final String ENTER_JSON = "{\"ToUserName\":\"gh_mini\",\"FromUserName\":\"oMiniUser1\",\"CreateTime\":1482048670,"
            + "\"MsgType\":\"event\",\"Event\":\"user_enter_tempsession\",\"SessionFrom\":\"order-page\"}";
    static final String AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

    private static Map<String, Object> parse(String body) {
        return PushBody.parse(body.getBytes(StandardCharsets.UTF_8), PushXml.DEFAULT_MAX_BYTES);
    }

    @Test
    void theJsonFormGivesTheFieldsOfTheXmlForm() {
        assertEquals(PushXml.parse(TEXT_XML, PushXml.DEFAULT_MAX_BYTES), parse(TEXT_JSON));
        assertEquals(Map.of("ToUserName", "gh_mini", "FromUserName", "oMiniUser1", "CreateTime", "1482048670",
                "MsgType", "event", "Event", "user_enter_tempsession", "SessionFrom", "order-page"), parse(ENTER_JSON));
    }

    @Test
    void numbersKeepTheirTextNestedObjectsAreMapsAndNullIsAbsent() {
        Map<String, Object> f = parse("  \n{\"Latitude\":23.1340,\"Big\":123456789012345678901234567890,\"Ok\":true,"
                + "\"None\":null,\"Info\":{\"ScanType\":\"qrcode\"},\"List\":[1,\"a\"]}");
        assertEquals("23.1340", f.get("Latitude"));
        assertEquals("123456789012345678901234567890", f.get("Big"));
        assertEquals("true", f.get("Ok"));
        assertFalse(f.containsKey("None"));
        assertEquals(Map.of("ScanType", "qrcode"), f.get("Info"));
        assertEquals(java.util.List.of("1", "a"), f.get("List"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"Content\":\"secret-ticket-value\"", "{\"A\":\"secret-ticket-value\",\"A\":\"x\"}",
            "{\"A\":\"secret-ticket-value\"} trailing", "[\"secret-ticket-value\"]", "{\"a\":{\"b\":{\"c\":{\"d\":{"
                    + "\"e\":{\"f\":{\"g\":{\"h\":{\"i\":\"secret-ticket-value\"}}}}}}}}}"})
    void aBrokenJsonPushIsMalformedAndNotQuoted(String body) {
        PushRefusedException e = assertThrows(PushRefusedException.class, () -> parse(body));
        assertEquals(PushRefusedException.Why.MALFORMED, e.why());
        assertFalse(e.getMessage().contains("secret-ticket-value"), e.getMessage());
    }

    @Test
    void aLargeJsonPushIsRefusedBeforeParsing() {
        byte[] big = ("{\"A\":\"" + "x".repeat(100) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertEquals(PushRefusedException.Why.TOO_LARGE,
                assertThrows(PushRefusedException.class, () -> PushBody.parse(big, 64)).why());
    }

    @Test
    void anEncryptedJsonPushIsDecryptedToTheSameFields() {
        Instant now = Instant.parse("2026-12-01T00:00:00Z");
        PushCrypto crypto = new PushCrypto("mini-token", AES_KEY, null, "wxmini000000001", "test");
        PushReceiver receiver = new PushReceiver("wxmini000000001", crypto,
                new ReplayGuard(Duration.ofMinutes(5), Clock.fixed(now, ZoneOffset.UTC), Ticker.systemTicker()), 65536);
        String ts = String.valueOf(now.getEpochSecond());
        PushCrypto.Encrypted json = crypto.encrypt(TEXT_JSON, ts, "nonce-json");
        Map<String, String> query = new HashMap<>(Map.of("timestamp", ts, "nonce", "nonce-json",
                "msg_signature", json.msgSignature(), "encrypt_type", "aes"));
        Map<String, Object> fields = receiver.receive(query, json.pushJson("gh_mini").getBytes(StandardCharsets.UTF_8));
        assertEquals(PushXml.parse(TEXT_XML, 65536), fields);

        PushCrypto.Encrypted xml = crypto.encrypt(TEXT_XML, ts, "nonce-xml");
        Map<String, String> q2 = Map.of("timestamp", ts, "nonce", "nonce-xml", "msg_signature", xml.msgSignature());
        assertEquals(fields, receiver.receive(q2, xml.pushXml("gh_mini").getBytes(StandardCharsets.UTF_8)));

        // the Encrypt key is what a JSON push without one lacks, as an XML one lacks <Encrypt>
        assertEquals(PushRefusedException.Why.MALFORMED, assertThrows(PushRefusedException.class,
                () -> receiver.receive(query, TEXT_JSON.getBytes(StandardCharsets.UTF_8))).why());
    }

    @Test
    void aPlaintextJsonPushIsCheckedBySignature() {
        PushReceiver receiver = new PushReceiver("wxmini000000001", new PushCrypto("mini-token", null, null,
                "wxmini000000001", "test"), new ReplayGuard(Duration.ZERO, Clock.systemUTC(), Ticker.systemTicker()), 65536);
        Map<String, String> query = Map.of("signature", PushCrypto.signature("mini-token", "1700000000", "n1"),
                "timestamp", "1700000000", "nonce", "n1");
        assertEquals("user_enter_tempsession",
                receiver.receive(query, ENTER_JSON.getBytes(StandardCharsets.UTF_8)).get("Event"));
        Map<String, String> forged = Map.of("signature", "0".repeat(40), "timestamp", "1700000000", "nonce", "n1");
        assertEquals(PushRefusedException.Why.BAD_SIGNATURE, assertThrows(PushRefusedException.class,
                () -> receiver.receive(forged, ENTER_JSON.getBytes(StandardCharsets.UTF_8))).why());
    }

    @Test
    void theInboundJsonSaysTheAccountsKind() throws Exception {
        JsonNode mini = new ObjectMapper().readTree(new InboundMessage("wxmini000000001", AccountKind.MINIPROGRAM,
                parse(TEXT_JSON)).toJson());
        assertEquals("miniprogram", mini.path("kind").asText());
        assertEquals("oMiniUser1", mini.path("openid").asText());
        assertEquals("7000000000000000001", mini.path("msgid").asText());
        assertEquals(1482048670L, mini.path("time").asLong());
        JsonNode official = new ObjectMapper().readTree(new InboundMessage("wx1", parse(TEXT_XML)).toJson());
        assertEquals("official", official.path("kind").asText());
        assertTrue(PushBody.json(" {".getBytes(StandardCharsets.UTF_8)));
        assertFalse(PushBody.json("<xml/>".getBytes(StandardCharsets.UTF_8)));
    }
}
