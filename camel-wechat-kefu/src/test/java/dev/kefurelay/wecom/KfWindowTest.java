package dev.kefurelay.wecom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

import dev.kefurelay.wechat.Channel;
import dev.kefurelay.wechat.Reason;
import dev.kefurelay.wechat.RetryableSendException;
import dev.kefurelay.wechat.SendFailedException;
import dev.kefurelay.window.Interaction;
import dev.kefurelay.window.WindowKeeper;
import dev.kefurelay.window.WindowPlace;
import org.junit.jupiter.api.Test;

/**
 * The window step of a WeCom message against a book that answers as told and notes what it was asked: which
 * outcomes give a place back, close the window or keep the place, and that an answer to an event passes by.
 */
class KfWindowTest {

    private static final String KF = "wkKf";
    private static final String CUSTOMER = "wmCustomer";
    private static final Instant OPENED = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant NOW = OPENED.plusSeconds(60);
    private static final WeComMessage MESSAGE = new WeComMessage("ww1", KF, CUSTOMER, null, "text", "m-1", "m-1",
            "{}", List.of());
    private static final WeComMessage EVENT_ANSWER = new WeComMessage("ww1", KF, null, "code", "text", "w-1", "w-1",
            "{}", List.of());

    /** Answers take() with {@code place}, and writes down each call. */
    private static final class Book implements WindowKeeper {
        final WindowPlace place;
        final boolean preempt;
        final List<String> calls = new ArrayList<>();

        Book(WindowPlace place, boolean preempt) {
            this.place = place;
            this.preempt = preempt;
        }

        @Override
        public boolean preempt() {
            return preempt;
        }

        @Override
        public Instant now() {
            return NOW;
        }

        @Override
        public WindowPlace take(String account, String user) {
            calls.add("take " + account + " " + user);
            return place;
        }

        @Override
        public void giveBack(String account, String user, WindowPlace given) {
            calls.add("giveBack " + account + " " + user + " " + given.openedAt());
        }

        @Override
        public void closed(String account, String user, Instant sentAt) {
            calls.add("closed " + account + " " + user + " " + sentAt);
        }

        @Override
        public void record(String account, String user, Interaction interaction, Instant at) {
            calls.add("record");
        }
    }

    private final AtomicInteger attempts = new AtomicInteger();

    private CompletableFuture<WeComSteps.Sent> send(Book book, WeComMessage message, Throwable failure,
            WeComSteps.Sent sent) {
        return new KfWindow(book).send(message, () -> {
            attempts.incrementAndGet();
            return failure == null ? CompletableFuture.completedFuture(sent) : CompletableFuture.failedFuture(failure);
        });
    }

    private static SendFailedException failureOf(CompletableFuture<?> result) {
        CompletionException e = assertThrows(CompletionException.class, result::join);
        return assertInstanceOf(SendFailedException.class, e.getCause());
    }

    @Test
    void aPlaceTakenAndDeliveredStaysTaken() {
        Book book = new Book(WindowPlace.taken(OPENED), true);
        assertEquals(WeComSteps.Sent.DELIVERED, send(book, MESSAGE, null, WeComSteps.Sent.DELIVERED).join());
        assertEquals(List.of("take wkKf wmCustomer"), book.calls);
    }

    @Test
    void aMsgidWeComHadDeliveredBeforeGivesThePlaceBack() {
        Book book = new Book(WindowPlace.taken(OPENED), true);
        send(book, MESSAGE, null, WeComSteps.Sent.ALREADY_DELIVERED).join();
        assertEquals(List.of("take wkKf wmCustomer", "giveBack wkKf wmCustomer " + OPENED), book.calls);
    }

    @Test
    void aWindowTheBookKnowsClosedFailsWithoutAnAttemptUnlessPreemptIsOff() {
        SendFailedException f = failureOf(send(new Book(WindowPlace.CLOSED, true), MESSAGE, null, null));
        assertEquals(Reason.WINDOW_CLOSED, f.reason());
        assertNull(f.errcode());
        assertEquals(Channel.WECOM, f.channel());
        assertTrue(f.errmsg().contains("has no fallback channel"), f.errmsg());
        assertEquals(0, attempts.get());

        send(new Book(WindowPlace.CLOSED, false), MESSAGE, null, WeComSteps.Sent.DELIVERED).join();
        assertEquals(1, attempts.get());
    }

    @Test
    void weComsWindowClosedClosesTheBooksWindowAsOfTheCall() {
        Book book = new Book(WindowPlace.UNKNOWN, true);
        SendFailedException f = failureOf(send(book, MESSAGE, new SendFailedException(Reason.WINDOW_CLOSED, 95001,
                "send msg count limit"), null));
        assertEquals(Channel.WECOM, f.channel());
        assertEquals(List.of("take wkKf wmCustomer", "closed wkKf wmCustomer " + NOW), book.calls);

        // after a lost answer the message's outcome is unknown, but WeCom's 95001 still said the window is closed
        Book afterLost = new Book(WindowPlace.taken(OPENED), true);
        failureOf(send(afterLost, MESSAGE, new SendFailedException(Reason.UNKNOWN_OUTCOME, 95001,
                "send msg count limit (an earlier attempt's answer was lost: it may have been delivered)"), null));
        assertEquals(List.of("take wkKf wmCustomer", "closed wkKf wmCustomer " + NOW), afterLost.calls);
    }

    @Test
    void aMessageNotDeliveredGivesItsPlaceBackOneWhoseOutcomeIsUnknownKeepsIt() {
        Book refused = new Book(WindowPlace.taken(OPENED), true);
        failureOf(send(refused, MESSAGE, new SendFailedException(Reason.WECHAT_ERROR, 40058, "invalid"), null));
        assertEquals("giveBack wkKf wmCustomer " + OPENED, refused.calls.get(1));

        Book exhausted = new Book(WindowPlace.taken(OPENED), true);
        failureOf(send(exhausted, MESSAGE, new RetryableSendException(-1, "system busy"), null));
        assertEquals("giveBack wkKf wmCustomer " + OPENED, exhausted.calls.get(1));

        Book lost = new Book(WindowPlace.taken(OPENED), true);
        failureOf(send(lost, MESSAGE, new SendFailedException(Reason.UNKNOWN_OUTCOME, null, "read timeout"), null));
        assertEquals(List.of("take wkKf wmCustomer"), lost.calls, "it may have been delivered: its place stays taken");
    }

    @Test
    void aSessionStateFailureKeepsItsStateOnWeComsChannel() {
        SessionStateException f = assertInstanceOf(SessionStateException.class, failureOf(send(
                new Book(WindowPlace.taken(OPENED), true), MESSAGE, new SessionStateException("hint", 3), null)));
        assertEquals(3, f.state());
        assertEquals(Channel.WECOM, f.channel());
    }

    @Test
    void anAnswerToAnEventPassesTheBookByOnWeComsChannel() {
        Book book = new Book(WindowPlace.CLOSED, true);
        assertEquals(WeComSteps.Sent.DELIVERED, send(book, EVENT_ANSWER, null, WeComSteps.Sent.DELIVERED).join());
        assertEquals(Channel.WECOM, failureOf(send(book, EVENT_ANSWER, new SendFailedException(Reason.WECHAT_ERROR,
                95011, "code expired"), null)).channel());
        assertEquals(List.of(), book.calls);
    }
}
