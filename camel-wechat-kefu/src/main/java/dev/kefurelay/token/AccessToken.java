package dev.kefurelay.token;

import java.time.Duration;

/**
 * An access token as WeChat handed it out. {@link #toString()} never shows the value: tokens end up in
 * log lines and exception texts by accident far too easily.
 *
 * @param lifetime WeChat's {@code expires_in}
 */
public record AccessToken(String value, Duration lifetime) {

    /** How long the relay keeps using it: until {@code refreshAhead} before it expires, at least half its life. */
    public Duration usableFor(Duration refreshAhead) {
        Duration ahead = lifetime.minus(refreshAhead);
        Duration half = lifetime.dividedBy(2);
        return ahead.compareTo(half) > 0 ? ahead : half;
    }

    @Override
    public String toString() {
        return "AccessToken[***, expires_in=" + lifetime.toSeconds() + "s]";
    }
}
