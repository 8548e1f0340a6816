package dev.kefurelay.sandbox;

import dev.kefurelay.window.Interaction;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The customer-service window: which interactions open how many custom/send messages for how long, and 45015/45047. */
class WindowTest extends SandboxTestSupport {

    static final String CLOSED = "response out of time limit or subscription is canceled";
    static final String USED_UP = "out of response count limit";

    @Test
    void aUsersMessageOpensFiveMessagesForFortyEightHours() throws Exception {
        sandbox.enforceWindow(true);
        sandbox.users().wrote(APPID, OPENID);
        String token = clientToken();

        for (int i = 1; i <= 5; i++) {
            assertOk(send(token, text(OPENID, "reply " + i)));
        }
        assertError(45047, USED_UP, send(token, text(OPENID, "the 6th")));
        assertEquals(5, sandbox.deliveredCount());
        assertEquals(6, sandbox.sendCalls());
        assertEquals(0, sandbox.users().window(APPID, OPENID).orElseThrow().placesLeft());

        // still used up to the last second of the 48 hours, closed from then on (the token has long expired)
        clock.advance(Duration.ofHours(48).minusSeconds(1));
        assertError(45047, USED_UP, send(clientToken(), text(OPENID, "late")));
        clock.advance(Duration.ofSeconds(1));
        assertError(45015, CLOSED, send(clientToken(), text(OPENID, "too late")));
        assertTrue(sandbox.users().window(APPID, OPENID).isEmpty());
        assertEquals(5, sandbox.deliveredCount());
    }

    @Test
    void afterFortyEightHoursTheWindowIsClosedAndTheUsersNextMessageOpensFiveAgain() throws Exception {
        sandbox.enforceWindow(true);
        sandbox.users().wrote(APPID, OPENID);
        assertOk(send(clientToken(), text(OPENID, "one")));

        sandbox.advance(Duration.ofHours(48));
        String token = clientToken();
        assertError(45015, CLOSED, send(token, text(OPENID, "two days later")));

        sandbox.users().wrote(APPID, OPENID);
        for (int i = 1; i <= 5; i++) {
            assertOk(send(token, text(OPENID, "again " + i)));
        }
        assertError(45047, USED_UP, send(token, text(OPENID, "again 6")));
        assertEquals(6, sandbox.deliveredCount());
    }

    @Test
    void aMenuClickOpensThreeMessagesForOneMinute() throws Exception {
        sandbox.enforceWindow(true);
        sandbox.users().clicked(APPID, OPENID);
        String token = clientToken();
        UserWindow window = sandbox.users().window(APPID, OPENID).orElseThrow();
        assertEquals(Interaction.MENU_CLICK, window.opener());
        assertEquals(clock.instant().plus(Duration.ofMinutes(1)), window.closesAt());

        assertOk(send(token, text(OPENID, "1")));
        assertOk(send(token, text(OPENID, "2")));
        clock.advance(Duration.ofSeconds(59));
        assertOk(send(token, text(OPENID, "3")));
        assertError(45047, USED_UP, send(token, text(OPENID, "4")));

        sandbox.users().clicked(APPID, OPENID);
        assertOk(send(token, text(OPENID, "after a second click")));
        clock.advance(Duration.ofMinutes(1));
        assertError(45015, CLOSED, send(token, text(OPENID, "a minute later")));
    }

    @Test
    void followAndScanOpenThreeForAMinuteAndAnEventOutsideTheTableNone() {
        assertEquals(3, Interaction.FOLLOW.messages());
        assertEquals(Duration.ofMinutes(1), Interaction.SCAN.within());
        assertEquals(Interaction.MENU_CLICK, Interaction.ofEvent("scancode_waitmsg").orElseThrow());
        assertEquals(Interaction.FOLLOW, Interaction.ofEvent("subscribe").orElseThrow());
        assertEquals(Interaction.ENTER_SESSION, Interaction.ofEvent("user_enter_tempsession").orElseThrow());
        assertTrue(Interaction.ofEvent("VIEW").isEmpty());
        assertTrue(Interaction.ofEvent("TEMPLATESENDJOBFINISH").isEmpty());
    }

    @Test
    void aUserWhoNeverWroteMeets45015AndNothingIsDelivered() throws Exception {
        sandbox.enforceWindow(true);

        assertError(45015, CLOSED, send(clientToken(), text(OPENID, "unsolicited")));
        assertEquals(0, sandbox.deliveredCount());
        assertEquals(1, sandbox.sendCalls());
        assertTrue(sandbox.deliveries().isEmpty());
    }

    @Test
    void windowsAreKeptPerAccountAndPerUser() throws Exception {
        sandbox.enforceWindow(true).account("wx00000000000000a2", "secret-a2");
        sandbox.users().wrote(APPID, OPENID);
        String other = token(get("/cgi-bin/token?grant_type=client_credential&appid=wx00000000000000a2&secret=secret-a2"));

        assertError(45015, CLOSED, send(clientToken(), text("oAnotherUser", "not this one")));
        assertError(45015, CLOSED, send(other, text(OPENID, "not from this account")));
        assertOk(send(clientToken(), text(OPENID, "this one")));
    }

    @Test
    void aNewInteractionReplacesTheWindowCountsDoNotAddUp() throws Exception {
        sandbox.enforceWindow(true);
        sandbox.users().wrote(APPID, OPENID);
        String token = clientToken();
        assertOk(send(token, text(OPENID, "1")));
        assertOk(send(token, text(OPENID, "2")));

        sandbox.users().clicked(APPID, OPENID);
        assertEquals(3, sandbox.users().window(APPID, OPENID).orElseThrow().placesLeft());
        for (int i = 0; i < 3; i++) {
            assertOk(send(token, text(OPENID, "after the click " + i)));
        }
        assertError(45047, USED_UP, send(token, text(OPENID, "no more")));
    }

    @Test
    void aRefusedMessageTakesNoPlaceInTheWindow() throws Exception {
        sandbox.enforceWindow(true);
        sandbox.users().clicked(APPID, OPENID);
        String token = clientToken();

        assertError(47001, "data format error", send(token, "{\"touser\":\"" + OPENID + "\",\"msgtype\":\"text\"}"));
        sandbox.failNext(-1, 1);
        assertError(-1, "system error", send(token, text(OPENID, "busy")));
        assertEquals(3, sandbox.users().window(APPID, OPENID).orElseThrow().placesLeft());
    }

    @Test
    void sevenSendsAtOnceForAUserWithFivePlacesMakeFiveDeliveries() throws Exception {
        sandbox.enforceWindow(true);
        sandbox.users().wrote(APPID, OPENID);
        String token = clientToken();
        ExecutorService pool = Executors.newFixedThreadPool(7);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Reply>> replies = new ArrayList<>();
        try {
            for (int i = 0; i < 7; i++) {
                String body = text(OPENID, "at once " + i);
                replies.add(pool.submit(() -> {
                    go.await();
                    return send(token, body);
                }));
            }
            go.countDown();
            int ok = 0;
            int usedUp = 0;
            for (Future<Reply> reply : replies) {
                int errcode = reply.get().json().path("errcode").asInt();
                ok += errcode == 0 ? 1 : 0;
                usedUp += errcode == 45047 ? 1 : 0;
            }
            assertEquals(5, ok);
            assertEquals(2, usedUp);
            assertEquals(5, sandbox.deliveredCount());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void unfollowingClosesTheWindowAndFollowingAgainOpensThree() throws Exception {
        sandbox.enforceWindow(true);
        sandbox.users().wrote(APPID, OPENID);
        sandbox.users().unfollowed(APPID, OPENID);
        String token = clientToken();
        assertError(45015, CLOSED, send(token, text(OPENID, "gone")));

        sandbox.users().followed(APPID, OPENID);
        assertEquals(Interaction.FOLLOW, sandbox.users().window(APPID, OPENID).orElseThrow().opener());
        assertOk(send(token, text(OPENID, "welcome back")));
    }

    @Test
    void offByDefaultEveryoneReceivesAndTheWindowStillCounts() throws Exception {
        String token = clientToken();
        assertOk(send(token, text("oNeverWrote", "as before: no window needed")));

        sandbox.users().clicked(APPID, OPENID);
        for (int i = 0; i < 4; i++) {
            assertOk(send(token, text(OPENID, "beyond the three " + i)));
        }
        assertEquals(4, sandbox.users().window(APPID, OPENID).orElseThrow().sent());
        assertEquals(0, sandbox.users().window(APPID, OPENID).orElseThrow().placesLeft());
        assertEquals(5, sandbox.deliveredCount());
    }

    @Test
    void typingNeitherNeedsNorTakesAPlace() throws Exception {
        sandbox.enforceWindow(true);
        String token = clientToken();
        assertOk(post("/cgi-bin/message/custom/typing?access_token=" + token,
                "{\"touser\":\"" + OPENID + "\",\"command\":\"Typing\"}"));

        sandbox.users().clicked(APPID, OPENID);
        assertOk(post("/cgi-bin/message/custom/typing?access_token=" + token,
                "{\"touser\":\"" + OPENID + "\",\"command\":\"Typing\"}"));
        assertEquals(3, sandbox.users().window(APPID, OPENID).orElseThrow().placesLeft());
    }

    @Test
    void resetForgetsWindowsAndKeepsTheSetting() throws Exception {
        sandbox.enforceWindow(true);
        sandbox.users().wrote(APPID, OPENID);
        sandbox.reset();

        assertTrue(sandbox.users().window(APPID, OPENID).isEmpty());
        assertError(45015, CLOSED, send(clientToken(), text(OPENID, "after reset")));
    }

    @Test
    void theClockOnlyMovesForward() {
        Duration before = sandbox.clock().ahead();
        assertThrows(IllegalArgumentException.class, () -> sandbox.advance(Duration.ofSeconds(-1)));
        sandbox.advance(Duration.ofHours(1));
        assertEquals(before.plusHours(1), sandbox.clock().ahead());
        assertEquals(clock.instant().plus(Duration.ofHours(1)), sandbox.clock().instant());
    }

    // ---- pushes open the window, as WeChat's interactions do ------------------------------------------------

    @Test
    void pushingAUsersMessageOrEventOpensTheWindowTheRelaySeesPushed() throws Exception {
        sandbox.enforceWindow(true);
        try (PushSink relay = new PushSink(APPID)) {
            Pushes pushes = sandbox.pushes(relay.url(), PushSink.TOKEN, PushSink.AES_KEY, APPID);
            String token = clientToken();

            assertTrue(pushes.userClicked(APPID, OPENID, "MENU_ORDERS").success());
            assertEquals(Interaction.MENU_CLICK, sandbox.users().window(APPID, OPENID).orElseThrow().opener());
            assertTrue(pushes.userText(APPID, OPENID, "where is my parcel?").success());
            assertEquals(5, sandbox.users().window(APPID, OPENID).orElseThrow().placesLeft());
            assertOk(send(token, text(OPENID, "on its way")));

            assertTrue(pushes.userEvent(APPID, OPENID, "VIEW", "https://e.x/menu").success());
            assertEquals(4, sandbox.users().window(APPID, OPENID).orElseThrow().placesLeft());

            assertTrue(pushes.userUnfollowed(APPID, OPENID).success());
            assertError(45015, CLOSED, send(token, text(OPENID, "after unfollowing")));
            assertTrue(pushes.userFollowed(APPID, OPENID).success());
            assertTrue(pushes.userScanned(APPID, OPENID, "qrscene_42").success());
            assertEquals(Interaction.SCAN, sandbox.users().window(APPID, OPENID).orElseThrow().opener());

            List<PushSink.Received> received = relay.received();
            assertEquals(List.of("event", "text", "event", "event", "event", "event"),
                    received.stream().map(r -> r.field("MsgType")).toList());
            assertEquals("CLICK", received.get(0).field("Event"));
            assertEquals("MENU_ORDERS", received.get(0).field("EventKey"));
            assertEquals(OPENID, received.get(0).field("FromUserName"));
            assertEquals("unsubscribe", received.get(3).field("Event"));
            assertEquals("subscribe", received.get(4).field("Event"));
            assertEquals("SCAN", received.get(5).field("Event"));
            assertEquals("/wechat/accounts/" + APPID, received.get(5).path());
        }
    }
}
