package dev.kefurelay.receive;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;

import io.vertx.core.VertxException;
import io.vertx.core.http.HttpClosedException;
import org.junit.jupiter.api.Test;

/** Which failures on the push port are a client going away (DEBUG) and which are the relay's (ERROR). */
class PushServerFailuresTest {

    @Test
    void aClosedOrResetConnectionIsTheClientGoingAway() {
        assertTrue(PushServerFailures.clientWentAway(new SocketException("Connection reset"), false));
        assertTrue(PushServerFailures.clientWentAway(new HttpClosedException("Connection was closed"), false));
        assertTrue(PushServerFailures.clientWentAway(new VertxException("Connection was closed", true), false));
        assertTrue(PushServerFailures.clientWentAway(new UncheckedIOException(new ClosedChannelException()), false));
        assertTrue(PushServerFailures.clientWentAway(null, true), "the connection is closed whatever the failure");
        assertTrue(PushServerFailures.clientWentAway(new IllegalStateException("late write"), true));
    }

    @Test
    void anyOtherFailureIsTheRelays() {
        assertFalse(PushServerFailures.clientWentAway(new IllegalStateException("a bug"), false));
        assertFalse(PushServerFailures.clientWentAway(new VertxException("something else", true), false));
        assertFalse(PushServerFailures.clientWentAway(null, false), "a status without an exception: not the client");
    }
}
