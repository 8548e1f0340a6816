package dev.kefurelay.store;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

import dev.kefurelay.window.Interaction;
import dev.kefurelay.window.WindowPlace;

/**
 * The embedded default: one relay, one folder ({@code kefu.store.dir}). Secrets are files ({@link SecretStore}),
 * delivered ids a log beside them ({@link LocalIds}), the window book ({@link LocalWindows}) and the channel msgids
 * ({@link LocalChannelMsgIds}) logs too, quota pauses small files; access tokens stay in memory
 * (a restart fetches new ones, as it always did). Media ids are not kept here: the one relay remembers its uploads
 * in memory. Locks are this JVM's: two relays must not share the folder.
 */
public final class LocalStore implements KefuStore {

    private static final String PAUSE = "quota-pause-";

    private final SecretStore secrets;
    private final LocalIds ids;
    private final LocalWindows windows;
    private final LocalChannelMsgIds channelIds;
    private final StoreSettings settings;
    private final Map<String, SharedToken> tokens = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    private LocalStore(SecretStore secrets, LocalIds ids, LocalWindows windows, LocalChannelMsgIds channelIds,
            StoreSettings settings) {
        this.secrets = secrets;
        this.ids = ids;
        this.windows = windows;
        this.channelIds = channelIds;
        this.settings = settings;
    }

    /** Opens the folder; what is older than it is kept for (ids, windows, channel msgids) is left behind. */
    public static LocalStore open(Path dir, StoreSettings settings) {
        SecretStore secrets = SecretStore.open(dir);
        Instant now = settings.clock().instant();
        LocalIds ids = new LocalIds(settings.maxIds(), settings.idWait(), settings.clock(),
                secrets.dir().resolve(LocalIds.FILE));
        LocalWindows windows = null;
        try {
            windows = new LocalWindows(secrets.dir().resolve(LocalWindows.FILE), now.minus(WINDOW_KEPT));
            LocalChannelMsgIds channelIds = new LocalChannelMsgIds(secrets.dir().resolve(LocalChannelMsgIds.FILE),
                    now.minus(ID_WINDOW));
            return new LocalStore(secrets, ids, windows, channelIds, settings);
        } catch (RuntimeException e) {
            ids.close();
            if (windows != null) {
                windows.close();
            }
            throw e;
        }
    }

    @Override
    public Optional<String> get(String key) {
        return secrets.get(key);
    }

    @Override
    public void put(String key, String value) {
        secrets.put(key, value);
    }

    @Override
    public boolean compareAndSet(String key, String expected, String next) {
        synchronized (secrets) {
            if (!Objects.equals(secrets.get(key).orElse(null), expected)) {
                return false;
            }
            secrets.put(key, next);
            return true;
        }
    }

    @Override
    public Optional<SharedToken> token(String account) {
        return Optional.ofNullable(tokens.get(account));
    }

    @Override
    public SharedToken renewToken(String account, Function<Optional<SharedToken>, SharedToken> renew) {
        ReentrantLock lock = locks.computeIfAbsent(account, a -> new ReentrantLock());
        long start = System.nanoTime();
        boolean acquired;
        try {
            acquired = lock.tryLock(settings.lockTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreLockTimeoutException("interrupted while waiting for the token lock of " + account, e);
        }
        settings.listener().lockWait(System.nanoTime() - start, acquired);
        if (!acquired) {
            throw new StoreLockTimeoutException("the token lock of " + account + " was held longer than "
                    + settings.lockTimeout().toMillis() + " ms", null);
        }
        try {
            Optional<SharedToken> current = token(account);
            SharedToken next = renew.apply(current);
            tokens.put(account, next);
            return next;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void dropToken(String account, String value) {
        tokens.computeIfPresent(account, (a, t) -> t.value().equals(value) ? null : t);
    }

    @Override
    public CompletableFuture<IdClaim> claimId(String appid, String id) {
        return ids.claim(appid, id);
    }

    /** The channel msgids are kept as long as the ids, and purged with them. */
    @Override
    public int purgeIds(Instant before) {
        channelIds.purge(before);
        return ids.purge(before);
    }

    /** None kept (see {@link KefuStore#mediaId}): the relay's memory holds its own uploads. */
    @Override
    public Optional<SharedMedia> mediaId(String appid, String type, String sha256) {
        return Optional.empty();
    }

    @Override
    public void putMediaId(String appid, String type, String sha256, SharedMedia media) {
        // kept by the relay's memory alone
    }

    @Override
    public void dropMediaId(String appid, String type, String sha256, String mediaId) {
        // nothing kept, nothing to drop
    }

    @Override
    public int purgeMedia(Instant before) {
        return 0;
    }

    @Override
    public void recordInteraction(String appid, String openid, Interaction interaction, Instant at) {
        windows.record(appid, openid, interaction, at);
    }

    @Override
    public WindowPlace takeWindowPlace(String appid, String openid, Instant now) {
        return windows.take(appid, openid, now);
    }

    @Override
    public void returnWindowPlace(String appid, String openid, Instant openedAt) {
        windows.giveBack(appid, openid, openedAt);
    }

    @Override
    public void closeWindow(String appid, String openid, Instant sentAt) {
        windows.closeWindow(appid, openid, sentAt);
    }

    @Override
    public int openWindows(String appid, Instant now) {
        return windows.open(appid, now);
    }

    @Override
    public int purgeWindows(Instant before) {
        return windows.purge(before);
    }

    @Override
    public void rememberChannelMsgId(String appid, String channelMsgId, String id) {
        channelIds.remember(appid, channelMsgId, id, settings.clock().instant());
    }

    @Override
    public Optional<String> messageIdOf(String appid, String channelMsgId) {
        return channelIds.idOf(appid, channelMsgId);
    }

    @Override
    public void pause(String appid, Instant until) {
        synchronized (secrets) {
            if (pausedUntil(appid).map(until::isAfter).orElse(true)) {
                secrets.put(PAUSE + appid, String.valueOf(until.toEpochMilli()));
            }
        }
    }

    @Override
    public Optional<Instant> pausedUntil(String appid) {
        return secrets.get(PAUSE + appid).map(ms -> Instant.ofEpochMilli(Long.parseLong(ms)));
    }

    @Override
    public void check() {
        if (!java.nio.file.Files.isWritable(secrets.dir())) {
            throw new StoreException("store folder " + secrets.dir() + " is not writable", null);
        }
    }

    @Override
    public String describe() {
        return "local store " + secrets.dir();
    }

    @Override
    public void close() {
        ids.close();
        windows.close();
        channelIds.close();
    }

    @Override
    public String toString() {
        return "LocalStore[" + secrets.dir() + "]";
    }
}
