package dev.kefurelay.wecom;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.BiFunction;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kefurelay.token.TokenCache;
import dev.kefurelay.token.TokenCalls;
import dev.kefurelay.wechat.RetryableSendException;
import dev.kefurelay.wechat.SendFailedException;
import dev.kefurelay.wechat.WeChatClient;
import dev.kefurelay.wechat.WeChatReply;
import dev.kefurelay.store.KefuStore;
import dev.kefurelay.window.WindowKeeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a WeCom kf account's customers' messages and events with {@code kf/sync_msg}, in plain Java (blocking, on
 * the caller's thread): from the stored cursor, page by page while {@code has_more}, each entry handed to the sink
 * (which makes it durable or throws), the cursor stored after each page. At most one relay pulls a kf account at a
 * time, whichever got its callback ({@link KfPullState}'s lease); a customer's message opens their window in the
 * window book before it is handed on ({@link KfInteraction}); a callback that comes while another pulls is left
 * for that one, which pulls again once it is done. A pull that fails (WeCom, the store, the sink) stops where its
 * last whole page ended: the next pull starts there, and the sink sees that page's entries again (the relay's queue
 * drops a msgid it already holds).
 */
public final class KfPuller {

    static final String SYNC = "/cgi-bin/kf/sync_msg";
    /** The most sync_msg gives per call. */
    static final int PAGE = 1000;
    /** 95007: the callback's token is unknown or older than 10 minutes; the pull goes on without one. */
    static final int INVALID_MSG_TOKEN = 95007;

    private static final Logger LOG = LoggerFactory.getLogger(KfPuller.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where pulled entries go; it returns once the entry is durable (on a queue), or throws. */
    @FunctionalInterface
    public interface Sink {
        void accept(KfInbound entry) throws Exception;
    }

    /** What a pull did: the entries handed on, or that another relay pulls this kf account now. */
    public record Pulled(int entries, boolean busy) {
    }

    private final WeChatClient api;
    private final TokenCache tokens;
    private final KfPullState state;
    private final BiFunction<String, String, Optional<String>> idOf;
    private final WindowKeeper windows;

    KfPuller(WeChatClient api, TokenCache tokens, KefuStore store, Clock clock, String owner, Duration lease,
            BiFunction<String, String, Optional<String>> idOf, WindowKeeper windows) {
        this.api = api;
        this.tokens = tokens;
        this.state = new KfPullState(store, clock, owner, lease);
        this.idOf = idOf;
        this.windows = windows;
    }

    /**
     * A callback said this kf account has something to read: kept in the store (answer WeCom once this returned),
     * for {@link #pull} to take up.
     */
    public void requested(String corpid, String openKfid, String callbackToken) {
        tokens.requireConfigured(corpid);
        state.request(corpid, openKfid, callbackToken);
    }

    /**
     * The cursor the next pull of this kf account goes on from, as the store holds it: for a sandbox that starts
     * empty on every run while the store keeps the cursor it handed out before.
     */
    public static Optional<String> storedCursor(KefuStore store, String openKfid) {
        return KfPullState.storedCursor(store, openKfid);
    }

    /** The kf accounts with a callback no pull has answered yet: what a relay that starts takes up. */
    public List<String> open() {
        return state.accounts().stream().filter(kf -> state.pending(kf).open()).toList();
    }

    /**
     * Pulls until no callback of this kf account is left open, unless another relay pulls it (then {@code busy}:
     * it pulls what came meanwhile too, or, should it have died, its lease runs out and a later pull takes over).
     *
     * @throws SendFailedException WeCom refused sync_msg, or the store or the sink failed: the callback stays open
     */
    public Pulled pull(String openKfid, Sink sink) throws Exception {
        int entries = 0;
        while (true) {
            if (!state.acquire(openKfid)) {
                return new Pulled(entries, true);
            }
            KfPullState.Pending seen = state.pending(openKfid);
            try {
                if (seen.open()) {
                    entries += pages(seen.corpid(), openKfid, seen.token(), sink);
                }
            } finally {
                state.release(openKfid);
            }
            if (state.done(openKfid, seen)) {
                return new Pulled(entries, false);
            }
        }
    }

    private int pages(String corpid, String openKfid, String callbackToken, Sink sink) throws Exception {
        int entries = 0;
        String token = callbackToken;
        boolean more = true;
        while (more) {
            ObjectNode body = JSON.createObjectNode();
            state.cursor(openKfid).ifPresent(c -> body.put("cursor", c));
            if (token != null) {
                body.put("token", token);
            }
            body.put("limit", PAGE).put("open_kfid", openKfid);
            WeChatReply reply = sync(corpid, body.toString());
            if (reply.status() == 200 && reply.errcode() == INVALID_MSG_TOKEN && token != null) {
                // the callback's 10 minutes are over: WeCom reads on without one, at a stricter rate
                LOG.info("the callback token of {} expired: pulling without it", openKfid);
                token = null;
                continue;
            }
            if (reply.status() != 200 || reply.errcode() != 0) {
                throw new RetryableSendException(reply.status() == 200 ? reply.errcode() : null, "kf/sync_msg of "
                        + openKfid + " refused: " + (reply.status() == 200 ? reply.errmsg() : "HTTP " + reply.status()));
            }
            for (JsonNode entry : reply.body().path("msg_list")) {
                // before it is handed on, as a push is recorded before it is answered: a store that fails stops the
                // pull here, and the next one reads the entry again
                KfInteraction.of(entry).ifPresent(i -> i.recordIn(windows));
                sink.accept(KfInbound.of(corpid, openKfid, entry, idOf));
                entries++;
                if (state.renewDue(openKfid)) {
                    renew(openKfid);
                }
            }
            state.cursor(openKfid, reply.text("next_cursor"));
            renew(openKfid);
            more = reply.body().path("has_more").asInt(0) == 1;
        }
        return entries;
    }

    private void renew(String openKfid) {
        if (!state.renew(openKfid)) {
            throw new RetryableSendException(null, "the pull of " + openKfid + " lost its lease (it ran out): another "
                    + "relay pulls on");
        }
    }

    /** sync_msg with the corp's token, by the rule of every call with a token (a rejected one renewed once). */
    private WeChatReply sync(String corpid, String body) {
        return TokenCalls.authorized(tokens, corpid, token -> api.post(SYNC, TokenCalls.query(token), body, false));
    }
}
