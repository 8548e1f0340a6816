package dev.kefurelay.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.kefurelay.store.KefuStore;
import dev.kefurelay.store.LocalStore;
import dev.kefurelay.store.StoreListener;
import dev.kefurelay.store.StoreSettings;
import dev.kefurelay.token.TokenCacheTest.CountingSource;
import dev.kefurelay.wechat.Reason;
import dev.kefurelay.wechat.SendFailedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A library leaves its host's logging alone: no logger's level changed, no stack traces from the cache inside. */
class TokenCacheLoggingTest {

    /** Caffeine's async cache logs a failed load here, through System.Logger (java.util.logging on this classpath). */
    private static final String CAFFEINE_ASYNC = "com.github.benmanes.caffeine.cache.LocalAsyncCache";

    @TempDir
    Path dir;

    @Test
    void refusedFetchesLeaveEveryLoggerAndLevelOfTheHostAsItWas() {
        Logger caffeine = Logger.getLogger(CAFFEINE_ASYNC);
        Level configured = caffeine.getLevel();
        boolean parents = caffeine.getUseParentHandlers();
        List<String> records = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record.getLevel() + " " + record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        // a host that wants to hear everything from Caffeine: the component must neither turn it down nor fill it
        caffeine.setLevel(Level.ALL);
        caffeine.setUseParentHandlers(false);
        caffeine.addHandler(handler);
        KefuStore store = LocalStore.open(dir.resolve("store"), new StoreSettings(Duration.ofSeconds(10),
                Duration.ofSeconds(10), 1000, Clock.systemUTC(), StoreListener.NONE));
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            Map<String, Level> before = levels();
            CountingSource source = new CountingSource();
            source.failure = new SendFailedException(Reason.WECHAT_ERROR, 40125, "access token for wxa refused");
            // on the calling thread: every callback of the cache has run when a call returns
            TokenCache cache = new TokenCache("access token", "access", source, store, Duration.ofSeconds(60),
                    Runnable::run, timer, Ticker.systemTicker(), Clock.systemUTC());

            assertThrows(SendFailedException.class, () -> cache.get("wxa"));
            CompletionException async = assertThrows(CompletionException.class, () -> cache.getAsync("wxa").join());
            assertInstanceOf(SendFailedException.class, async.getCause());
            cache.prefetch("wxa", 0);
            assertEquals(3, source.calls.get(), "each refusal is forgotten: every call asked again");
            source.failure = null;
            assertEquals("wxa-t4", cache.get("wxa").value());

            assertEquals(Level.ALL, caffeine.getLevel());
            Map<String, Level> after = levels();
            before.keySet().retainAll(after.keySet());
            after.keySet().retainAll(before.keySet());
            assertEquals(before, after);
            assertEquals(List.of(), records, "Caffeine logged a refused fetch");

            // the handler hears what Caffeine logs: the assertion above is not empty for want of a listener
            System.getLogger(CAFFEINE_ASYNC).log(System.Logger.Level.WARNING, "probe");
            assertEquals(List.of("WARNING probe"), records);
        } finally {
            timer.shutdownNow();
            store.close();
            caffeine.removeHandler(handler);
            caffeine.setUseParentHandlers(parents);
            caffeine.setLevel(configured);
        }
    }

    /** The level each java.util.logging logger has now (null: it inherits its parent's). */
    private static Map<String, Level> levels() {
        LogManager manager = LogManager.getLogManager();
        Map<String, Level> levels = new HashMap<>();
        manager.getLoggerNames().asIterator().forEachRemaining(name -> {
            Logger logger = manager.getLogger(name);
            if (logger != null) {
                levels.put(name, logger.getLevel());
            }
        });
        return levels;
    }
}
