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
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.github.benmanes.caffeine.cache.Ticker;
import org.junit.jupiter.api.Test;

/**
 * GET URL verification answers an echostr and nothing else: not the plaintext of a recorded push sent as
 * echostr, not a stale or a used nonce, not a request that carries a push.
 */
class UrlVerificationTest {

    static final String KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    static final String TICKET_XML = "<xml><AppId><![CDATA[wxcomponent1]]></AppId><CreateTime>1700000000</CreateTime>"
            + "<InfoType><![CDATA[component_verify_ticket]]></InfoType><ComponentVerifyTicket><![CDATA[ticket@@@secret-1]]>"
            + "</ComponentVerifyTicket></xml>";

    final Instant now = Instant.parse("2026-12-02T05:00:00Z");
    final String ts = String.valueOf(now.getEpochSecond());
    final PushCrypto crypto = new PushCrypto("tok", KEY, null, "wxcomponent1", "test");
    final PushReceiver receiver = new PushReceiver("component", crypto,
            new ReplayGuard(Duration.ofMinutes(5), Clock.fixed(now, ZoneOffset.UTC), Ticker.systemTicker()), 65536);

    /** The query of a safe-mode URL verification (WeCom's form): echostr encrypted, signed with it. */
    private Map<String, String> safe(String plainEchostr, String timestamp, String nonce) {
        PushCrypto.Encrypted e = crypto.encrypt(plainEchostr, timestamp, nonce);
        return new HashMap<>(Map.of("msg_signature", e.msgSignature(), "timestamp", timestamp, "nonce", nonce,
                "echostr", e.encrypt()));
    }

    /** The query of a plain URL verification (an Official Account's form): echostr as is, not signed. */
    private Map<String, String> plain(String echostr, String timestamp, String nonce) {
        return new HashMap<>(Map.of("signature", PushCrypto.signature("tok", timestamp, nonce), "timestamp",
                timestamp, "nonce", nonce, "echostr", echostr));
    }

    private PushRefusedException refused(Map<String, String> query, byte[] body) {
        return assertThrows(PushRefusedException.class, () -> receiver.verify(query, body));
    }

    @Test
    void aFreshVerificationIsAnsweredInBothForms() {
        assertEquals("1616140317555161061", receiver.verify(safe("1616140317555161061", ts, "n-safe"), null));
        assertEquals("5927782489442352469", receiver.verify(plain("5927782489442352469", ts, "n-plain"), new byte[0]));
    }

    @Test
    void aRecordedPushSentAsEchostrIsRefusedAndItsPlaintextNotQuoted() {
        // what WeChat POSTed: Encrypt signed with msg_signature; replayed as a GET within the window, nonce unused
        PushCrypto.Encrypted push = crypto.encrypt(TICKET_XML, ts, "n-push");
        Map<String, String> asGet = Map.of("msg_signature", push.msgSignature(), "timestamp", ts, "nonce", "n-push",
                "echostr", push.encrypt());
        PushRefusedException e = refused(asGet, null);
        assertEquals(PushRefusedException.Why.NOT_VERIFICATION, e.why());
        assertFalse(e.getMessage().contains("ticket@@@"), e.getMessage());
        // under its own name, with the body, or as Encrypt: a GET carrying a push is no verification
        Map<String, String> withEncrypt = new HashMap<>(asGet);
        withEncrypt.put("Encrypt", push.encrypt());
        assertEquals(PushRefusedException.Why.NOT_VERIFICATION, refused(withEncrypt, null).why());
        Map<String, String> lowerCase = plain("123", ts, "n-lower");
        lowerCase.put("encrypt", push.encrypt());
        assertEquals(PushRefusedException.Why.NOT_VERIFICATION, refused(lowerCase, null).why());
        assertEquals(PushRefusedException.Why.NOT_VERIFICATION, refused(plain("123", ts, "n-body"),
                push.pushXml("gh_1").getBytes(StandardCharsets.UTF_8)).why());
    }

    @Test
    void anythingButAnEchostrIsRefusedWhateverItDecryptsTo() {
        for (String answer : List.of("<xml><A>1</A></xml>", "{\"ToUserName\":\"gh\"}", "ToUserName", "xml123",
                "EncryptABC", "1".repeat(Echostr.MAX_LENGTH + 1), "12 34", "")) {
            if (!answer.isEmpty()) {
                assertEquals(PushRefusedException.Why.NOT_VERIFICATION,
                        refused(safe(answer, ts, "n-s" + answer.hashCode()), null).why(), answer);
            }
            // a plain-mode echostr is echoed as sent, so the same rule keeps the answer an echostr
            Map<String, String> q = plain(answer, ts, "n-p" + answer.hashCode());
            PushRefusedException.Why why = refused(q, null).why();
            assertTrue(why == PushRefusedException.Why.NOT_VERIFICATION || answer.isEmpty() && why
                    == PushRefusedException.Why.MALFORMED, answer + ": " + why);
        }
        assertTrue(Echostr.plausible("1".repeat(Echostr.MAX_LENGTH)));
        assertTrue(Echostr.plausible("aZ0-_.~"));
    }

    @Test
    void aStaleVerificationIsRefused() {
        String old = String.valueOf(now.minus(Duration.ofDays(2)).getEpochSecond());
        assertEquals(PushRefusedException.Why.STALE, refused(safe("1234567890", old, "n-old"), null).why());
        assertEquals(PushRefusedException.Why.STALE, refused(plain("1234567890", old, "n-old2"), null).why());
        String ahead = String.valueOf(now.plus(Duration.ofMinutes(6)).getEpochSecond());
        assertEquals(PushRefusedException.Why.STALE, refused(plain("1234567890", ahead, "n-ahead"), null).why());
    }

    @Test
    void aNonceIsTakenOnceByVerificationsAndPushesAlike() {
        Map<String, String> first = safe("1234567890", ts, "n-once");
        assertEquals("1234567890", receiver.verify(first, null));
        assertEquals(PushRefusedException.Why.REPLAYED, refused(first, null).why());
        // the other form with the same nonce too
        assertEquals(PushRefusedException.Why.REPLAYED, refused(plain("1234567890", ts, "n-once"), null).why());
        // a push's nonce, once the push was taken, cannot verify; a verification's nonce cannot push
        PushCrypto.Encrypted push = crypto.encrypt("<xml><MsgId>1</MsgId></xml>", ts, "n-pushed");
        Map<String, String> pushQuery = Map.of("timestamp", ts, "nonce", "n-pushed", "msg_signature", push.msgSignature());
        receiver.receive(pushQuery, push.pushXml("gh").getBytes(StandardCharsets.UTF_8));
        receiver.taken(pushQuery);
        assertEquals(PushRefusedException.Why.REPLAYED, refused(plain("1234567890", ts, "n-pushed"), null).why());
        PushCrypto.Encrypted late = crypto.encrypt("<xml><MsgId>2</MsgId></xml>", ts, "n-once");
        assertEquals(PushRefusedException.Why.REPLAYED, assertThrows(PushRefusedException.class, () -> receiver.receive(
                Map.of("timestamp", ts, "nonce", "n-once", "msg_signature", late.msgSignature()),
                late.pushXml("gh").getBytes(StandardCharsets.UTF_8))).why());
    }

    @Test
    void twoVerificationsWithOneNonceAtOnceNeverBothPass() throws Exception {
        Map<String, String> query = plain("1234567890", ts, "n-race");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> tries = java.util.Collections.nCopies(64, () -> {
                try {
                    receiver.verify(query, null);
                    return true;
                } catch (PushRefusedException e) {
                    return false;
                }
            });
            long passed = 0;
            for (Future<Boolean> f : pool.invokeAll(tries)) {
                passed += f.get() ? 1 : 0;
            }
            assertEquals(1, passed);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theSafeFormNeedsTheKeyAndASignatureOverTheEchostr() {
        Map<String, String> forged = safe("1234567890", ts, "n-forged");
        forged.put("msg_signature", PushCrypto.signature("not-the-token", ts, "n-forged", forged.get("echostr")));
        assertEquals(PushRefusedException.Why.BAD_SIGNATURE, refused(forged, null).why());
        PushReceiver plaintextMode = new PushReceiver("wx1", new PushCrypto("tok", null, null, "wx1", "test"),
                new ReplayGuard(Duration.ofMinutes(5), Clock.fixed(now, ZoneOffset.UTC), Ticker.systemTicker()), 65536);
        assertEquals(PushRefusedException.Why.UNDECRYPTABLE, assertThrows(PushRefusedException.class,
                () -> plaintextMode.verify(safe("1234567890", ts, "n-nokey"), null)).why());
        assertEquals("1234567890", plaintextMode.verify(plain("1234567890", ts, "n-plainmode"), null));
    }
}
