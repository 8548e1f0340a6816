package dev.kefurelay.token;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kefurelay.MutableClock;
import dev.kefurelay.store.KefuStore;
import dev.kefurelay.store.LocalStore;
import dev.kefurelay.store.StoreListener;
import dev.kefurelay.store.StoreSettings;
import dev.kefurelay.wechat.WeChatReply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one rule of a call with an account's token, blocking and asynchronous alike: a token the API rejects is
 * dropped only while it is still the cached one, and the call is made once more with the token then cached.
 */
class TokenCallsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-05T03:00:00Z"));
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    @TempDir
    Path dir;
    private KefuStore store;
    private TokenCacheTest.CountingSource source;
    private TokenCache tokens;

    @BeforeEach
    void open() {
        store = LocalStore.open(dir.resolve("store"), new StoreSettings(Duration.ofSeconds(10), Duration.ofSeconds(10),
                1000, clock, StoreListener.NONE));
        source = new TokenCacheTest.CountingSource();
        tokens = new TokenCache("access token", "access", source, store, Duration.ofSeconds(60), Runnable::run, timer,
                clock.ticker(), clock);
    }

    @AfterEach
    void close() {
        timer.shutdownNow();
        store.close();
    }

    /** An API that rejects these token values (42001) and answers ok to any other; records the tokens it saw. */
    private static Function<AccessToken, WeChatReply> api(List<String> seen, String... rejected) {
        return token -> {
            seen.add(token.value());
            int errcode = List.of(rejected).contains(token.value()) ? 42001 : 0;
            return new WeChatReply(200, JSON.createObjectNode().put("errcode", errcode));
        };
    }

    @Test
    void aRejectedTokenIsReplacedAndTheCallMadeOnceMore() {
        List<String> seen = new CopyOnWriteArrayList<>();

        WeChatReply reply = TokenCalls.authorized(tokens, "wxa", api(seen, "wxa-t1"));

        assertEquals(0, reply.errcode());
        assertEquals(List.of("wxa-t1", "wxa-t2"), seen);
        assertEquals(2, source.calls.get());
    }

    @Test
    void aTokenAnotherCallerReplacedAlreadyIsNotDroppedAgain() {
        List<String> seen = new CopyOnWriteArrayList<>();
        List<String> otherSeen = new CopyOnWriteArrayList<>();
        AtomicBoolean otherCalled = new AtomicBoolean();

        WeChatReply reply = TokenCalls.authorized(tokens, "wxa", token -> {
            seen.add(token.value());
            if (token.value().equals("wxa-t1") && !otherCalled.getAndSet(true)) {
                // while this call is out with t1, another caller meets the same rejection: t2 takes t1's place
                TokenCalls.authorized(tokens, "wxa", api(otherSeen, "wxa-t1"));
            }
            return api(new CopyOnWriteArrayList<>(), "wxa-t1").apply(token);
        });

        assertEquals(0, reply.errcode());
        assertEquals(List.of("wxa-t1", "wxa-t2"), otherSeen);
        assertEquals(List.of("wxa-t1", "wxa-t2"), seen, "once more, with the token the other caller fetched");
        assertEquals(2, source.calls.get(), "t2 was not dropped for t1's rejection: no third fetch");
    }

    @Test
    void theAsynchronousCallsFollowTheSameRule() {
        List<String> seen = new CopyOnWriteArrayList<>();

        WeChatReply reply = TokenCalls.authorized(tokens, "wxa", api(seen, "wxa-t1"), Runnable::run, Runnable::run)
                .join();

        assertEquals(0, reply.errcode());
        assertEquals(List.of("wxa-t1", "wxa-t2"), seen);
        assertEquals(2, source.calls.get());
    }

    @Test
    void onlyOneMoreCallWhateverTheSecondAnswer() {
        List<String> seen = new CopyOnWriteArrayList<>();

        WeChatReply reply = TokenCalls.authorized(tokens, "wxa", api(seen, "wxa-t1", "wxa-t2"));

        assertEquals(42001, reply.errcode());
        assertEquals(List.of("wxa-t1", "wxa-t2"), seen);
    }
}
