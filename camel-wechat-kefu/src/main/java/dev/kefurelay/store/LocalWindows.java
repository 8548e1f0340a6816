package dev.kefurelay.store;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import dev.kefurelay.window.Interaction;
import dev.kefurelay.window.WindowPlace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local store's window book: in memory, and each change appended to {@code windows.log} in the store folder as
 * the entry it leaves (the last line of a user wins), so that a restart keeps it. The log is rewritten from memory
 * at start, at the purge when much of it is out of date, and at a clean stop.
 *
 * <p>The log is written, not forced (see {@link AppendLog}): a crash loses nothing, a power cut may lose the last
 * moments' changes; a count lost so is harmless, as WeChat enforces the window anyway and a message it refuses
 * closes the window here ({@code 45015}, {@code 45047}).
 *
 * <p>One lock for the book: a place is taken in one step that no other thread can split, and each change reaches
 * the log in the order the book made it. It is held for a map operation and one append (no force), so it is short.
 * Entries are grouped by account, so that counting one account's open windows passes over its entries alone, which
 * the purge keeps to those of the last days.
 */
final class LocalWindows implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalWindows.class);
    static final String FILE = "windows.log";
    private static final String WHAT = "window book";

    private final Map<String, Map<String, WindowEntry>> book = new HashMap<>();
    private final Path file;
    private final AppendLog log;
    private int entries;
    /** Lines appended since the last rewrite: the purge rewrites the log once they outnumber the entries. */
    private long appended;

    /** Reads the log, forgets the entries closed before {@code keepFrom}, and writes it back without them. */
    LocalWindows(Path file, Instant keepFrom) {
        this.file = file;
        int damaged = 0;
        for (String line : AppendLog.read(file, WHAT)) {
            String[] f = line.split(" ");
            try {
                WindowEntry e = new WindowEntry(instant(f[2]), instant(f[3]), Integer.parseInt(f[4]),
                        Integer.parseInt(f[5]));
                String appid = AppendLog.decode(f[0]);
                String openid = AppendLog.decode(f[1]);
                if (!e.closesAt().isBefore(keepFrom)) {
                    put(appid, openid, e);
                } else {
                    remove(appid, openid);
                }
            } catch (RuntimeException e) {
                damaged++;
            }
        }
        if (damaged > 0) {
            // an entry lost costs at most one message refused by WeChat; the lines name users: not repeated here
            LOG.warn("store {}: {} damaged lines of {} skipped", file.getParent(), damaged, FILE);
        }
        this.log = AppendLog.start(file, WHAT, lines());
        LOG.info("store {}: {} users in the window book", file.getParent(), entries);
    }

    synchronized void record(String appid, String openid, Interaction interaction, Instant at) {
        WindowEntry.check(appid, openid);
        change(appid, openid, e -> WindowEntry.afterInteraction(e, interaction, at));
    }

    synchronized WindowPlace take(String appid, String openid, Instant now) {
        WindowEntry.check(appid, openid);
        WindowEntry e = get(appid, openid);
        if (e == null) {
            return WindowPlace.UNKNOWN;
        }
        if (!e.hasPlace(now)) {
            return WindowPlace.CLOSED;
        }
        change(appid, openid, WindowEntry::taken);
        return WindowPlace.taken(e.openedAt());
    }

    synchronized void giveBack(String appid, String openid, Instant openedAt) {
        WindowEntry.check(appid, openid);
        if (get(appid, openid) != null) {
            change(appid, openid, e -> e.afterReturn(openedAt));
        }
    }

    synchronized void closeWindow(String appid, String openid, Instant sentAt) {
        WindowEntry.check(appid, openid);
        change(appid, openid, e -> WindowEntry.afterClose(e, sentAt));
    }

    synchronized int open(String appid, Instant now) {
        Map<String, WindowEntry> users = book.get(appid);
        return users == null ? 0 : (int) users.values().stream().filter(e -> e.openAt(now)).count();
    }

    synchronized int purge(Instant before) {
        int removed = 0;
        for (var account = book.values().iterator(); account.hasNext(); ) {
            Map<String, WindowEntry> users = account.next();
            int size = users.size();
            users.values().removeIf(e -> e.closesAt().isBefore(before));
            removed += size - users.size();
            if (users.isEmpty()) {
                account.remove();
            }
        }
        entries -= removed;
        if (removed > 0 || appended > entries) {
            compact();
        }
        return removed;
    }

    /** Writes the book as it is in place of the log, so that the next start reads one line a user; then no more. */
    @Override
    public synchronized void close() {
        try {
            compact();
        } catch (StoreException e) {
            LOG.warn("{}; the log as appended is kept", e.getMessage());
        }
        log.close();
    }

    private void compact() {
        log.rewrite(lines());
        appended = 0;
    }

    /** Applies the rule to the user's entry and appends the entry it leaves, if it changed. */
    private void change(String appid, String openid, UnaryOperator<WindowEntry> rule) {
        WindowEntry before = get(appid, openid);
        WindowEntry after = rule.apply(before);
        if (after.equals(before)) {
            return;
        }
        put(appid, openid, after);
        log.append(line(appid, openid, after));
        appended++;
    }

    private WindowEntry get(String appid, String openid) {
        Map<String, WindowEntry> users = book.get(appid);
        return users == null ? null : users.get(openid);
    }

    private void put(String appid, String openid, WindowEntry e) {
        if (book.computeIfAbsent(appid, a -> new HashMap<>()).put(openid, e) == null) {
            entries++;
        }
    }

    private void remove(String appid, String openid) {
        Map<String, WindowEntry> users = book.get(appid);
        if (users != null && users.remove(openid) != null) {
            entries--;
        }
    }

    private List<String> lines() {
        List<String> lines = new ArrayList<>(entries);
        book.forEach((appid, users) -> users.forEach((openid, e) -> lines.add(line(appid, openid, e))));
        return lines;
    }

    private static String line(String appid, String openid, WindowEntry e) {
        return AppendLog.encode(appid) + " " + AppendLog.encode(openid) + " " + micros(e.openedAt()) + " "
                + micros(e.closesAt()) + " " + e.places() + " " + e.used();
    }

    private static long micros(Instant t) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, t);
    }

    private static Instant instant(String micros) {
        return Instant.EPOCH.plus(Long.parseLong(micros), ChronoUnit.MICROS);
    }
}
