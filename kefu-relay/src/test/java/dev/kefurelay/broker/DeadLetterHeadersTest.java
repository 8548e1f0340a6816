package dev.kefurelay.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class DeadLetterHeadersTest {

    @Test
    void onlyTheOriginalPropertiesAndThisFailureReachTheDeadLetter() {
        Map<String, Object> current = new LinkedHashMap<>();
        current.put("OrderNo", "A-1");
        current.put("KefuAppId", "wxA");
        current.put("JMSCorrelationID", "c-1");
        current.put("JMSMessageID", "ID:1");
        current.put("Content-Type", "application/json");
        current.put("KefuOutcome", "failed");
        current.put("KefuReason", "wechat-error");
        current.put("KefuErrcode", 43004);
        current.put("KefuErrmsg", "require subscribe");
        current.put("KefuFailedAt", "2026-01-01T00:00:00Z");
        assertEquals(Map.of("OrderNo", "A-1", "KefuAppId", "wxA", "JMSCorrelationID", "c-1",
                "KefuReason", "wechat-error", "KefuErrcode", 43004, "KefuErrmsg", "require subscribe",
                "KefuFailedAt", "2026-01-01T00:00:00Z"),
                DeadLetterRoutes.deadLetterHeaders(Set.of("OrderNo", "KefuAppId"), current));
    }

    @Test
    void aReplayedDeadLetterCarriesTheNewFailureOnlyNotTheOldErrcode() {
        // it failed with 43004 before; replayed, it fails as bad input, which has no errcode
        Map<String, Object> current = new LinkedHashMap<>();
        current.put("OrderNo", "A-1");
        current.put("KefuReason", "invalid-input");
        current.put("KefuErrcode", null);
        current.put("KefuErrmsg", "touser is missing");
        current.put("KefuFailedAt", "2026-01-02T00:00:00Z");
        assertEquals(Map.of("OrderNo", "A-1", "KefuReason", "invalid-input", "KefuErrmsg", "touser is missing",
                "KefuFailedAt", "2026-01-02T00:00:00Z"),
                DeadLetterRoutes.deadLetterHeaders(Set.of("OrderNo", "KefuReason", "KefuErrcode", "KefuErrmsg",
                        "KefuFailedAt"), current));
    }
}
