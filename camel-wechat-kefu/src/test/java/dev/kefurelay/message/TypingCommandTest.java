package dev.kefurelay.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TypingCommandTest {

    private final MessageReader reader = new MessageReader("wxdefault");

    @Test
    void readsTouserCommandAndTheDefaultAccount() {
        TypingCommand c = reader.readTyping("{\"touser\":\"oU\",\"command\":\"Typing\"}", null);
        assertEquals(new TypingCommand("wxdefault", "oU", "Typing"), c);
        assertEquals("{\"touser\":\"oU\",\"command\":\"Typing\"}", c.toJson());
    }

    @Test
    void theHeaderWinsOverTheBodysAppidWhichWinsOverTheDefault() {
        String body = "{\"appid\":\"wxbody\",\"touser\":\"oU\",\"command\":\"CancelTyping\"}";
        assertEquals("wxheader", reader.readTyping(body, "wxheader").appid());
        assertEquals("wxbody", reader.readTyping(body, null).appid());
    }

    @Test
    void badCommandsAreInvalidInputNamingTheField() {
        assertTrue(assertThrows(InvalidMessageException.class,
                () -> reader.readTyping("{\"touser\":\"oU\",\"command\":\"typing\"}", null)).getMessage()
                .contains("command"));
        assertTrue(assertThrows(InvalidMessageException.class,
                () -> reader.readTyping("{\"command\":\"Typing\"}", null)).getMessage().contains("touser"));
        assertTrue(assertThrows(InvalidMessageException.class,
                () -> reader.readTyping("{\"touser\":\"oU\",\"command\":\"Typing\",\"x\":1}", null)).getMessage()
                .contains("'x'"));
        assertThrows(InvalidMessageException.class, () -> new MessageReader(null)
                .readTyping("{\"touser\":\"oU\",\"command\":\"Typing\"}", null));
    }
}
