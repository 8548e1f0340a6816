package dev.kefurelay.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class LogValuesTest {

    @Test
    void aValueWithoutControlCharactersIsLoggedAsItIs() {
        String appid = "wx1234567890abcdef 订单";
        assertSame(appid, LogValues.oneLine(appid));
        assertEquals("-", LogValues.oneLine(null));
    }

    @Test
    void lineBreaksAndOtherControlCharactersAreEscaped() {
        assertEquals("wxforged\\nfailed appid=wxother\\r\\t\\u001b[2J\\u0000\\u0085\\u2028end",
                LogValues.oneLine("wxforged\nfailed appid=wxother\r\t\u001b[2J\u0000\u0085\u2028end"));
    }
}
