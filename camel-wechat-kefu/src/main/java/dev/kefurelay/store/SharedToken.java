package dev.kefurelay.store;

import java.time.Duration;
import java.time.Instant;

/** An access token as the store keeps it: its value and when WeChat said it expires. Never shows the value. */
public record SharedToken(String value, Instant expiresAt) {

    /** Whether it is still worth using at {@code now}: more than {@code ahead} before it expires. */
    public boolean usableAt(Instant now, Duration ahead) {
        return now.plus(ahead).isBefore(expiresAt);
    }

    @Override
    public String toString() {
        return "SharedToken[***, expires " + expiresAt + "]";
    }
}
