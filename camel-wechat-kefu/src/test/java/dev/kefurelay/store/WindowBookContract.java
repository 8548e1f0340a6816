package dev.kefurelay.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.kefurelay.window.Interaction;
import dev.kefurelay.window.WindowPlace;
import org.junit.jupiter.api.Test;

/**
 * The window book, as every store backend must keep it: part of {@link KefuStoreContract}, which gives the stores.
 * Where the backend is shared ({@link #sharedAtOnce}), what several relays do at once is done through two stores on
 * the same database.
 */
interface WindowBookContract extends StoreContractPart {

    @Test
    default void aUsersMessageOpensFivePlacesFor48HoursAndAMenuClickThreeForAMinute() {
        KefuStore s = store();
        Instant t0 = clock().instant();
        assertEquals(WindowPlace.UNKNOWN, s.takeWindowPlace("wxA", "o1", t0), "nothing recorded yet");
        s.recordInteraction("wxA", "o1", Interaction.MESSAGE, t0);
        for (int i = 0; i < 5; i++) {
            assertEquals(WindowPlace.taken(t0), s.takeWindowPlace("wxA", "o1", t0.plusSeconds(i)), "place " + i);
        }
        assertEquals(WindowPlace.CLOSED, s.takeWindowPlace("wxA", "o1", t0.plusSeconds(10)), "five used");
        assertEquals(WindowPlace.UNKNOWN, s.takeWindowPlace("wxB", "o1", t0), "a user of another account");

        s.recordInteraction("wxA", "o2", Interaction.MENU_CLICK, t0);
        assertEquals(WindowPlace.taken(t0), s.takeWindowPlace("wxA", "o2", t0.plusSeconds(59)));
        assertEquals(WindowPlace.CLOSED, s.takeWindowPlace("wxA", "o2", t0.plusSeconds(60)), "a minute: closed");

        s.recordInteraction("wxA", "o3", Interaction.MESSAGE, t0);
        Instant closes = t0.plus(Duration.ofHours(48));
        assertEquals(WindowPlace.taken(t0), s.takeWindowPlace("wxA", "o3", closes.minusMillis(1)));
        assertEquals(WindowPlace.CLOSED, s.takeWindowPlace("wxA", "o3", closes));
    }

    @Test
    default void aNewInteractionReplacesTheWindowAndAnOlderOrRetriedOneChangesNothing() {
        KefuStore s = store();
        Instant t0 = clock().instant();
        s.recordInteraction("wxA", "o1", Interaction.MESSAGE, t0);
        take(s, "o1", t0, 4);
        Instant click = t0.plusSeconds(10);
        s.recordInteraction("wxA", "o1", Interaction.MENU_CLICK, click);
        assertEquals(3, take(s, "o1", click, 5), "the click's three places, not the message's one left and three");
        s.recordInteraction("wxA", "o1", Interaction.MESSAGE, t0.plusSeconds(5));
        assertEquals(WindowPlace.CLOSED, s.takeWindowPlace("wxA", "o1", click), "an older push arriving late");
        s.recordInteraction("wxA", "o1", Interaction.MENU_CLICK, click);
        assertEquals(WindowPlace.CLOSED, s.takeWindowPlace("wxA", "o1", click), "a retried push gives back nothing");
        assertEquals(WindowPlace.CLOSED, s.takeWindowPlace("wxA", "o1", click.plusSeconds(61)),
                "the click's window closed; the message's before it is not back");
        Instant wrote = click.plusSeconds(120);
        s.recordInteraction("wxA", "o1", Interaction.MESSAGE, wrote);
        assertEquals(WindowPlace.taken(wrote), s.takeWindowPlace("wxA", "o1", wrote));
    }

    @Test
    default void anotherInteractionInTheSameSecondReplacesTheWindowButItsRetryDoesNot() {
        KefuStore s = store();
        Instant second = clock().instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        s.recordInteraction("wxA", "o2", Interaction.MESSAGE, second);
        take(s, "o2", second, 5);
        s.recordInteraction("wxA", "o2", Interaction.MESSAGE, second);
        assertEquals(WindowPlace.CLOSED, s.takeWindowPlace("wxA", "o2", second), "the message's retry");
        s.recordInteraction("wxA", "o2", Interaction.MENU_CLICK, second);
        assertEquals(3, take(s, "o2", second, 4), "a click in the same second: its own three places");
        s.recordInteraction("wxA", "o2", Interaction.MENU_CLICK, second);
        assertEquals(WindowPlace.CLOSED, s.takeWindowPlace("wxA", "o2", second), "the click's retry");
    }

    @Test
    default void ofSevenAtOnceForFivePlacesFiveAreTaken() throws Exception {
        KefuStore s = store();
        KefuStore t = sharedAtOnce() ? another(s) : s;
        Instant t0 = clock().instant();
        for (int round = 0; round < 3; round++) {
            String openid = "o" + round;
            s.recordInteraction("wxA", openid, Interaction.MESSAGE, t0);
            List<WindowPlace> got = atOnce(7, i -> (i % 2 == 0 ? s : t).takeWindowPlace("wxA", openid, t0));
            assertEquals(5, got.stream().filter(WindowPlace.taken(t0)::equals).count(), got.toString());
            assertEquals(2, got.stream().filter(WindowPlace.CLOSED::equals).count(), got.toString());
            assertEquals(WindowPlace.CLOSED, t.takeWindowPlace("wxA", openid, t0));
        }
    }

    @Test
    default void aPlaceGivenBackIsFreeAgainOnlyInTheWindowItWasTakenFrom() {
        KefuStore s = store();
        Instant t0 = clock().instant();
        s.recordInteraction("wxA", "o1", Interaction.MESSAGE, t0);
        s.returnWindowPlace("wxA", "o1", t0);
        assertEquals(5, take(s, "o1", t0, 7), "nothing was used: nothing given back");
        s.returnWindowPlace("wxA", "o1", t0);
        assertEquals(1, take(s, "o1", t0, 2), "the place given back");

        Instant t1 = t0.plusSeconds(3600);
        s.recordInteraction("wxA", "o1", Interaction.MESSAGE, t1);
        assertEquals(5, take(s, "o1", t1, 5));
        s.returnWindowPlace("wxA", "o1", t0);
        assertEquals(WindowPlace.CLOSED, s.takeWindowPlace("wxA", "o1", t1), "the newer window keeps its count");

        s.returnWindowPlace("wxA", "o9", t0);
        assertEquals(WindowPlace.UNKNOWN, s.takeWindowPlace("wxA", "o9", t0), "no entry made");
    }

    @Test
    default void aRefusedSendClosesTheWindowItWasSentInButNotANewerOne() {
        KefuStore s = store();
        Instant t0 = clock().instant();
        s.recordInteraction("wxA", "o1", Interaction.MESSAGE, t0);
        assertEquals(WindowPlace.taken(t0), s.takeWindowPlace("wxA", "o1", t0));
        Instant sent = t0.plusSeconds(60);
        s.closeWindow("wxA", "o1", sent);
        assertEquals(WindowPlace.CLOSED, s.takeWindowPlace("wxA", "o1", sent));
        assertEquals(WindowPlace.CLOSED, s.takeWindowPlace("wxA", "o1", t0.plusSeconds(1)), "a clock behind");
        s.returnWindowPlace("wxA", "o1", t0);
        assertEquals(WindowPlace.CLOSED, s.takeWindowPlace("wxA", "o1", sent), "the refused place given back");
        assertEquals(0, s.openWindows("wxA", sent));
        s.recordInteraction("wxA", "o1", Interaction.MESSAGE, sent.minusSeconds(1));
        assertEquals(WindowPlace.CLOSED, s.takeWindowPlace("wxA", "o1", sent), "older than WeChat's answer");
        s.recordInteraction("wxA", "o1", Interaction.MESSAGE, sent);
        assertEquals(WindowPlace.CLOSED, s.takeWindowPlace("wxA", "o1", sent), "as old as WeChat's answer");

        Instant wrote = sent.plusSeconds(30);
        s.recordInteraction("wxA", "o1", Interaction.MESSAGE, wrote);
        s.closeWindow("wxA", "o1", wrote.minusSeconds(10));
        assertEquals(WindowPlace.taken(wrote), s.takeWindowPlace("wxA", "o1", wrote), "the user wrote meanwhile");

        s.closeWindow("wxA", "o9", sent);
        assertEquals(WindowPlace.CLOSED, s.takeWindowPlace("wxA", "o9", sent), "known closed, not unknown");
    }

    @Test
    default void aRefusalAndANewerInteractionAtOnceKeepTheNewerOne() throws Exception {
        KefuStore s = store();
        KefuStore t = sharedAtOnce() ? another(s) : s;
        Instant t0 = clock().instant();
        Instant earlier = t0.plusSeconds(60);
        Instant later = t0.plusSeconds(120);
        int users = 12;
        for (int u = 0; u < users; u++) {
            s.recordInteraction("wxA", "a" + u, Interaction.MESSAGE, t0);
            s.recordInteraction("wxA", "b" + u, Interaction.MESSAGE, t0);
        }
        // a: the user wrote after the refused send; b: the send was refused after the user wrote
        atOnce(4 * users, i -> {
            String user = String.valueOf(i / 4 % users);
            switch (i % 4) {
                case 0 -> s.closeWindow("wxA", "a" + user, earlier);
                case 1 -> t.recordInteraction("wxA", "a" + user, Interaction.MESSAGE, later);
                case 2 -> t.closeWindow("wxA", "b" + user, later);
                default -> s.recordInteraction("wxA", "b" + user, Interaction.MESSAGE, earlier);
            }
            return null;
        });
        for (int u = 0; u < users; u++) {
            assertEquals(WindowPlace.taken(later), s.takeWindowPlace("wxA", "a" + u, later), "a" + u);
            assertEquals(WindowPlace.CLOSED, t.takeWindowPlace("wxA", "b" + u, later), "b" + u);
        }
    }

    @Test
    default void openWindowsCountsAnAccountsWindowsOpenNowPlacesLeftOrNot() {
        KefuStore s = store();
        Instant t0 = clock().instant();
        s.recordInteraction("wxA", "o1", Interaction.MESSAGE, t0);
        s.recordInteraction("wxA", "o2", Interaction.MESSAGE, t0);
        take(s, "o2", t0, 5);
        s.recordInteraction("wxA", "o3", Interaction.MENU_CLICK, t0);
        s.closeWindow("wxA", "o4", t0);
        s.recordInteraction("wxB", "o1", Interaction.MESSAGE, t0);
        assertEquals(3, s.openWindows("wxA", t0), "o4 is closed");
        assertEquals(2, s.openWindows("wxA", t0.plusSeconds(60)), "the click's minute is over");
        assertEquals(1, s.openWindows("wxB", t0));
        assertEquals(0, s.openWindows("wxC", t0));
        assertEquals(0, s.openWindows("wxA", t0.plus(Duration.ofHours(48))));
    }

    @Test
    default void windowsArePurgedOnceClosedForAsLongAsTheLongestWindowLasts() {
        assertEquals(Duration.ofHours(48), KefuStore.WINDOW_KEPT, "a user's message: 48 h");
        KefuStore s = store();
        Instant t0 = clock().instant();
        s.recordInteraction("wxA", "click", Interaction.MENU_CLICK, t0);
        s.recordInteraction("wxA", "message", Interaction.MESSAGE, t0);
        s.closeWindow("wxA", "refused", t0.plusSeconds(3600));
        clock().advance(Duration.ofHours(49));
        assertEquals(1, s.purgeWindows(clock().instant().minus(KefuStore.WINDOW_KEPT)), "closed 48 h 59 min ago");
        assertEquals(WindowPlace.UNKNOWN, s.takeWindowPlace("wxA", "click", clock().instant()));
        assertEquals(WindowPlace.CLOSED, s.takeWindowPlace("wxA", "refused", clock().instant()), "48 h ago: kept");
        assertEquals(WindowPlace.CLOSED, s.takeWindowPlace("wxA", "message", clock().instant()), "1 h ago: kept");
        KefuStore later = reopened(s);
        clock().advance(Duration.ofHours(48));
        assertEquals(2, later.purgeWindows(clock().instant().minus(KefuStore.WINDOW_KEPT)));
        assertEquals(0, later.purgeWindows(clock().instant().minus(KefuStore.WINDOW_KEPT)));
        assertEquals(WindowPlace.UNKNOWN, reopened(later).takeWindowPlace("wxA", "message", clock().instant()));
    }

    @Test
    default void theBookIsKeptAcrossARestart() {
        KefuStore s = store();
        Instant t0 = clock().instant();
        s.recordInteraction("wxA", "o1", Interaction.MESSAGE, t0);
        take(s, "o1", t0, 2);
        s.closeWindow("wxA", "o2", t0);
        s.recordInteraction("wxA", "o3", Interaction.MENU_CLICK, t0);
        take(s, "o3", t0, 1);
        s.returnWindowPlace("wxA", "o3", t0);
        KefuStore later = reopened(s);
        assertEquals(3, take(later, "o1", t0, 4), "two of five were used");
        assertEquals(WindowPlace.CLOSED, later.takeWindowPlace("wxA", "o2", t0));
        assertEquals(2, later.openWindows("wxA", t0));
        assertEquals(3, take(reopened(later), "o3", t0, 4), "the place given back");
    }

    @Test
    default void aMissingUserIsRefusedNamingTheArgumentOnly() {
        KefuStore s = store();
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> s.takeWindowPlace("wxA", null, clock().instant()));
        assertEquals("openid", e.getMessage());
        e = assertThrows(NullPointerException.class,
                () -> s.recordInteraction(null, "o1", Interaction.MESSAGE, clock().instant()));
        assertEquals("appid", e.getMessage());
    }

    /** Asks for {@code times} places at {@code now}; returns how many were taken. */
    private static int take(KefuStore s, String openid, Instant now, int times) {
        int taken = 0;
        for (int i = 0; i < times; i++) {
            taken += s.takeWindowPlace("wxA", openid, now).verdict() == WindowPlace.Verdict.TAKEN ? 1 : 0;
        }
        return taken;
    }

    /** Runs {@code n} calls on as many threads, let go together once all are ready; their answers in order. */
    private <T> List<T> atOnce(int n, IntCall<T> call) throws Exception {
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<T>> calls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int index = i;
            calls.add(threads().submit(() -> {
                ready.countDown();
                assertTrue(go.await(30, TimeUnit.SECONDS));
                return call.run(index);
            }));
        }
        assertTrue(ready.await(30, TimeUnit.SECONDS));
        go.countDown();
        List<T> answers = new ArrayList<>();
        for (Future<T> f : calls) {
            answers.add(f.get(30, TimeUnit.SECONDS));
        }
        return answers;
    }

    @FunctionalInterface
    interface IntCall<T> {
        T run(int index);
    }
}
