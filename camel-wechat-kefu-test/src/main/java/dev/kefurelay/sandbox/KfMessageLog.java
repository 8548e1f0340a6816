package dev.kefurelay.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What kf/sync_msg reads: per kf account, the customers' messages and the events, in arrival order (messages the
 * API sent are never here, as at WeCom). Cursors name a place in an account's list; only the last 3 days are
 * readable. The callback tokens WeCom hands out with each callback (valid 10 minutes) are checked here too.
 */
final class KfMessageLog {

    static final Duration READABLE = Duration.ofDays(3);
    static final Duration CALLBACK_TOKEN_LIFE = Duration.ofMinutes(10);
    static final int MAX_LIMIT = 1000;

    /** One page: what sync_msg answers. */
    record Page(List<ObjectNode> messages, String nextCursor, boolean hasMore) {
    }

    private record Entry(Instant at, ObjectNode message) {
    }

    private record CallbackToken(String openKfid, Instant expiresAt) {
    }

    private final Clock clock;
    private final Map<String, List<Entry>> byAccount = new ConcurrentHashMap<>();
    /** Per kf account, the place its list starts at: 0, unless it goes on from a cursor of an earlier run. */
    private final Map<String, Integer> starts = new ConcurrentHashMap<>();
    private final Map<String, CallbackToken> tokens = new ConcurrentHashMap<>();

    KfMessageLog(Clock clock) {
        this.clock = clock;
    }

    /** Appends a message or event ({@code send_time} set to now); returns it. */
    ObjectNode append(String openKfid, ObjectNode message) {
        Instant now = clock.instant();
        message.put("send_time", now.getEpochSecond());
        List<Entry> list = byAccount.computeIfAbsent(openKfid, k -> new ArrayList<>());
        synchronized (list) {
            list.add(new Entry(now, message));
        }
        return message;
    }

    /** A token for the next callback of this account, as WeCom puts in {@code <Token>}: valid for 10 minutes. */
    String callbackToken(String openKfid) {
        String token = "ENC" + RandomTokens.next();
        tokens.put(token, new CallbackToken(openKfid, clock.instant().plus(CALLBACK_TOKEN_LIFE)));
        return token;
    }

    /** A token given to sync_msg must be a callback's of this account, within its 10 minutes (95007 otherwise). */
    void checkToken(String openKfid, String token) {
        CallbackToken known = tokens.get(token);
        if (known == null || !known.openKfid().equals(openKfid) || !clock.instant().isBefore(known.expiresAt())) {
            throw new ApiException(WeComErrors.INVALID_MSG_TOKEN);
        }
    }

    /** Up to {@code limit} messages from the cursor (the start when null), skipping what is older than 3 days. */
    Page read(String openKfid, String cursor, int limit) {
        int start = starts.getOrDefault(openKfid, 0);
        int from = cursor == null || cursor.isEmpty() ? start : Math.max(start, position(openKfid, cursor));
        Instant oldest = clock.instant().minus(READABLE);
        List<Entry> list = byAccount.getOrDefault(openKfid, List.of());
        List<ObjectNode> page = new ArrayList<>();
        int at;
        int size;
        synchronized (list) {
            size = list.size();
            at = Math.min(from - start, size);
            while (at < size && page.size() < limit) {
                Entry e = list.get(at++);
                if (!e.at().isBefore(oldest)) {
                    page.add(e.message().deepCopy());
                }
            }
        }
        return new Page(page, cursor(openKfid, start + at), at < size);
    }

    /**
     * The account's list goes on from this cursor, one it handed out in an earlier run: as if what came before had
     * been read and were gone. For a relay whose store outlives the sandbox (it starts empty on every run).
     *
     * @throws IllegalArgumentException the cursor is none of this account's
     */
    void goOnFrom(String openKfid, String cursor) {
        try {
            starts.put(openKfid, position(openKfid, cursor));
        } catch (ApiException e) {
            throw new IllegalArgumentException("'" + cursor + "' is no cursor of kf account " + openKfid);
        }
    }

    void reset() {
        byAccount.clear();
        tokens.clear();
        starts.clear();
    }

    /** A cursor names the account and a place in its list; one of another account is no cursor here. */
    private static String cursor(String openKfid, int position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((openKfid + ":" + position)
                .getBytes(StandardCharsets.UTF_8));
    }

    private static int position(String openKfid, String cursor) {
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int colon = decoded.lastIndexOf(':');
            if (colon > 0 && decoded.substring(0, colon).equals(openKfid)) {
                int position = Integer.parseInt(decoded.substring(colon + 1));
                if (position >= 0) {
                    return position;
                }
            }
        } catch (IllegalArgumentException e) {
            // named below
        }
        throw new ApiException(WeComErrors.INVALID_PARAMETER, "invalid cursor");
    }
}
