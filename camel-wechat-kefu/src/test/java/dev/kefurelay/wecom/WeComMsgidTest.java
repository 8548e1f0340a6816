package dev.kefurelay.wecom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WeComMsgidTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "order-1001", "ORDER_1001", "0123456789abcdefABCDEF_-xyzXYZ01"})
    void anIdWeComTakesIsItsOwnMsgid(String id) {
        assertEquals(id, WeComMsgid.of(id));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0123456789abcdefABCDEF_-xyzXYZ012", "order/1001", "订单1001", "a b", "a.b", "a+b=",
            "\u0000"})
    void anyOtherIdIsMappedToThirtyTwoCharactersOfWeComsAlphabet(String id) {
        String msgid = WeComMsgid.of(id);
        assertTrue(msgid.matches("[0-9A-Za-z_-]{32}"), msgid);
        assertEquals(msgid, WeComMsgid.of(id), "the same id, the same msgid: a resend is refused as reused");
    }

    @Test
    void theMappingIsTheSha256OfTheUtf8BytesInBase64url() {
        // SHA-256("订单/2026/0001") in Base64url, first 32 characters: a fixed value, so the mapping never changes
        // between versions (a changed mapping would let a resend after an upgrade reach the customer twice)
        assertEquals("IXiaagUC0vBG9J9GTvMU20-s5z9kEHsO", WeComMsgid.of("订单/2026/0001"));
    }

    @Test
    void idsThatDifferGiveMsgidsThatDiffer() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            seen.add(WeComMsgid.of("order/" + i));
        }
        assertEquals(10_000, seen.size());
        assertNotEquals(WeComMsgid.of("order/1"), WeComMsgid.of("order/1 "));
    }

    @Test
    void aMessageWithoutIdGetsARandomOne() {
        String a = WeComMsgid.random();
        assertTrue(a.matches("_[0-9a-f]{31}"), a);
        assertNull(WeComMsgid.idOf(a), "a made-up msgid stands for no id");
        assertEquals("order-1", WeComMsgid.idOf("order-1"));
        assertNotEquals(a, WeComMsgid.random());
    }

    @Test
    void anEmptyIdIsNoId() {
        assertThrows(IllegalArgumentException.class, () -> WeComMsgid.of(""));
    }
}
