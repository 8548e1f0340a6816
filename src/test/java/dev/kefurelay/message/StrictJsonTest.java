package dev.kefurelay.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StrictJsonTest {

    private static String refusal(String json) {
        return assertThrows(InvalidMessageException.class, () -> StrictJson.parse(json, "'orders.json'"))
                .getMessage();
    }

    private static String nested(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    @Test
    void aHugelyNestedDocumentIsRefusedNamingTheLimitNotWithANullPointerException() {
        String why = refusal(nested(100_000));
        assertTrue(why.startsWith("'orders.json' is not valid JSON at line 1, column "), why);
        assertTrue(why.contains("nested more than " + StrictJson.MAX_DEPTH + " levels deep (StrictJson.MAX_DEPTH)"),
                why);
    }

    @Test
    void nestingUpToTheLimitIsAccepted() {
        assertTrue(StrictJson.parse(nested(StrictJson.MAX_DEPTH), "x").isArray());
        assertTrue(refusal(nested(StrictJson.MAX_DEPTH + 1)).contains("StrictJson.MAX_DEPTH"));
    }

    @Test
    void aDuplicateKeyIsRefusedInsteadOfTheLastOneWinning() {
        String why = refusal("{\"touser\":\"a\",\"msgtype\":\"text\",\"touser\":\"b\"}");
        assertTrue(why.contains("key \"touser\" appears twice in one object"), why);
        assertTrue(refusal("{\"text\":{\"content\":\"a\",\"content\":\"b\"}}").contains("\"content\" appears twice"));
    }

    @Test
    void theSameKeyInSiblingObjectsIsNoDuplicate() {
        JsonNode tree = StrictJson.parse("[{\"id\":\"1\"},{\"id\":\"2\"}]", "x");
        assertEquals("2", tree.get(1).get("id").asText());
    }

    @Test
    void trailingTokensAreRefused() {
        assertTrue(refusal("{\"a\":\"1\"} {\"b\":\"2\"}").contains("more follows after the end of the JSON value"));
    }

    @Test
    void aTruncatedDocumentSaysSo() {
        assertTrue(refusal("{\"touser\":\"o1\",\"text\":{\"content\":\"x").endsWith("it ends too early"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"''", "'  \n '"})
    void blankInputIsEmpty(String text) {
        assertEquals("'orders.json' is empty", refusal(text));
    }

    @Test
    void anOverlongStringOrNumberIsRefusedNamingTheLimit() {
        String longString = "{\"a\":\"" + "x".repeat(StrictJson.MAX_STRING_CHARS + 1) + "\"}";
        assertTrue(refusal(longString).contains("longer than " + StrictJson.MAX_STRING_CHARS + " characters"));
        String longNumber = "{\"id\":" + "9".repeat(StrictJson.MAX_NUMBER_DIGITS + 1) + "}";
        assertTrue(refusal(longNumber).contains("longer than " + StrictJson.MAX_NUMBER_DIGITS + " digits"));
    }

    @Test
    void anErrorQuotesOnlyAShortEscapedExcerptOfTheInput() {
        String secret = "SECRET" + "s".repeat(200);
        String why = refusal("{\"touser\":\"o1\",\"token\":" + secret + "\n\u0007}");
        assertTrue(why.contains("line 1, column "), why);
        assertFalse(why.contains("s".repeat(StrictJson.EXCERPT_CHARS + 1)), why);
        assertFalse(why.chars().anyMatch(Character::isISOControl), why);
        // a control character inside a string is refused, and shows up escaped
        String control = refusal("{\"a\":\"\u0001\u001b[31m\"}");
        assertTrue(control.contains("\\u0001\\u001b[31m"), control);
    }

    @Test
    void strictUtf8DecodesWhatIsValid() {
        String text = "你好 👋🏽 {\"a\":1}";
        assertEquals(text, StrictJson.utf8(text.getBytes(StandardCharsets.UTF_8), "x"));
        assertEquals("", StrictJson.utf8(new byte[0], "x"));
    }

    @ParameterizedTest
    @CsvSource({
        "'7b,22,61,22,3a,22,c3,28,22,7d', 6",   // {"a":"\xC3(" - a lead byte without its continuation
        "'61,62,e4,bd', 2",                     // ends in the middle of 你
        "'61,c0,80', 1",                        // overlong encoding of NUL
        "'61,62,63,ed,a0,80', 3",               // a UTF-16 surrogate encoded as UTF-8
        "'ff', 0"
    })
    void malformedUtf8IsRefusedNamingTheFirstBadByte(String hex, int at) {
        String[] parts = hex.split(",");
        byte[] bytes = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            bytes[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        InvalidMessageException e = assertThrows(InvalidMessageException.class,
                () -> StrictJson.utf8(bytes, "the message"));
        assertEquals("the message is not valid UTF-8 at byte " + at, e.getMessage());
    }

    @Test
    void anExcerptIsShortAndEscaped() {
        assertEquals("a\\nb\\r\\t\\\"q\\\\ \\u0000\\u001b\\u2028\\u200b", StrictJson.excerpt(
                "a\nb\r\t\"q\\ \u0000\u001b\u2028\u200b"));
        String long_ = "x".repeat(100);
        assertEquals("x".repeat(StrictJson.EXCERPT_CHARS) + "…", StrictJson.excerpt(long_));
        assertEquals("x".repeat(StrictJson.EXCERPT_CHARS), StrictJson.excerpt("x".repeat(StrictJson.EXCERPT_CHARS)));
        assertEquals("", StrictJson.excerpt(null));
    }

    @Test
    void anExcerptNeverSplitsACharacterOrLeavesALoneSurrogate() {
        String emoji = "👋".repeat(StrictJson.EXCERPT_CHARS + 5);
        String cut = StrictJson.excerpt(emoji);
        assertEquals("👋".repeat(StrictJson.EXCERPT_CHARS) + "…", cut);
        assertEquals("a\\ud800b", StrictJson.excerpt("a\ud800b"));
    }
}
