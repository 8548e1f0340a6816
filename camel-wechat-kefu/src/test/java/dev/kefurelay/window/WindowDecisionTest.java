package dev.kefurelay.window;

import static dev.kefurelay.window.WindowDecision.Route.CUSTOM;
import static dev.kefurelay.window.WindowDecision.Route.FALLBACK;
import static dev.kefurelay.window.WindowDecision.Route.WINDOW_CLOSED;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kefurelay.window.WindowPlace.Verdict;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class WindowDecisionTest {

    @ParameterizedTest(name = "book {0}, preempt {1}, fallback {2}: {3}")
    @CsvSource({
        "TAKEN,   true,  true,  CUSTOM",
        "TAKEN,   true,  false, CUSTOM",
        "UNKNOWN, true,  true,  CUSTOM",
        "UNKNOWN, true,  false, CUSTOM",
        "CLOSED,  true,  true,  FALLBACK",
        "CLOSED,  true,  false, WINDOW_CLOSED",
        "CLOSED,  false, true,  CUSTOM",
        "CLOSED,  false, false, CUSTOM",
    })
    void beforeAnyCall(Verdict book, boolean preempt, boolean fallback, WindowDecision.Route route) {
        assertEquals(route, WindowDecision.before(book, preempt, fallback));
    }

    @Test
    void afterWeChatRefusedForTheWindowTheFallbackGoesOrTheMessageFails() {
        assertEquals(FALLBACK, WindowDecision.afterRefusal(true));
        assertEquals(WINDOW_CLOSED, WindowDecision.afterRefusal(false));
        assertEquals(CUSTOM, WindowDecision.before(Verdict.UNKNOWN, true, true));
    }

    @Test
    void aPushOpensTheWindowOfItsRow() {
        assertEquals(Interaction.MESSAGE, Interaction.ofPush("text", null).orElseThrow());
        assertEquals(Interaction.MESSAGE, Interaction.ofPush("miniprogrampage", null).orElseThrow());
        assertEquals(Interaction.MENU_CLICK, Interaction.ofPush("event", "CLICK").orElseThrow());
        assertEquals(Interaction.FOLLOW, Interaction.ofPush("event", "subscribe").orElseThrow());
        assertEquals(Interaction.SCAN, Interaction.ofPush("event", "SCAN").orElseThrow());
        assertEquals(Interaction.ENTER_SESSION, Interaction.ofPush("event", "user_enter_tempsession").orElseThrow());
        assertEquals(java.util.Optional.empty(), Interaction.ofPush("event", "TEMPLATESENDJOBFINISH"));
        assertEquals(java.util.Optional.empty(), Interaction.ofPush("event", "unsubscribe"));
        assertEquals(java.util.Optional.empty(), Interaction.ofPush(null, null));
    }
}
