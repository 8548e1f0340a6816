package dev.kefurelay.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class DeadLetterHeadersTest {

    @Test
    void onlyThisFailureIsAddedToTheOriginalMessage() {
        Map<String, Object> current = new LinkedHashMap<>();
        current.put("OrderNo", "A-1");
        current.put("KefuAppId", "wxA");
        current.put("JMSCorrelationID", "c-1");
        current.put("Content-Type", "application/json");
        current.put("KefuOutcome", "failed");
        current.put("KefuReason", "wechat-error");
        current.put("KefuErrcode", 43004);
        current.put("KefuErrmsg", "require subscribe");
        current.put("KefuFailedAt", "2026-01-01T00:00:00Z");
        current.put("KefuChannel", "custom");
        assertEquals(Map.of("KefuReason", "wechat-error", "KefuErrcode", 43004, "KefuErrmsg", "require subscribe",
                "KefuFailedAt", "2026-01-01T00:00:00Z", "KefuChannel", "custom"), DeadLetterRoutes.failure(current));
    }

    @Test
    void aReplayedDeadLetterLosesTheOldErrcodeWhenTheNewFailureHasNone() {
        // it failed with 43004 before; replayed, it fails as bad input, which has no errcode
        Map<String, Object> current = new LinkedHashMap<>();
        current.put("KefuReason", "invalid-input");
        current.put("KefuErrcode", null);
        current.put("KefuErrmsg", "touser is missing");
        current.put("KefuFailedAt", "2026-01-02T00:00:00Z");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("KefuReason", "invalid-input");
        expected.put("KefuErrcode", null);
        expected.put("KefuErrmsg", "touser is missing");
        expected.put("KefuFailedAt", "2026-01-02T00:00:00Z");
        // bad input reached no channel: an earlier failure's KefuChannel goes too
        expected.put("KefuChannel", null);
        assertEquals(expected, DeadLetterRoutes.failure(current), "null: removed from the dead letter");
    }
}
