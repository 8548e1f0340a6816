package dev.kefurelay.store;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local store's channel msgids (template/send's {@code msgid} and the message id it carried): in memory, and
 * appended to {@code channel-msgids.log} in the store folder, rewritten without the purged ones at start and at the
 * purge, which runs with the delivered ids' (they are kept as long). Written, not forced, as {@link AppendLog} says:
 * a power cut may lose the last moments' lines, and then a later push cannot be joined to its message.
 */
final class LocalChannelMsgIds implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalChannelMsgIds.class);
    static final String FILE = "channel-msgids.log";
    private static final String WHAT = "channel msgids";

    private record Key(String appid, String channelMsgId) {
    }

    private record Sent(String id, long at) {
    }

    private final Map<Key, Sent> ids = new HashMap<>();
    private final AppendLog log;

    /** Reads the log, keeps those sent from {@code keepFrom} on, and writes it back without the others. */
    LocalChannelMsgIds(Path file, Instant keepFrom) {
        int damaged = 0;
        for (String line : AppendLog.read(file, WHAT)) {
            String[] f = line.split(" ");
            try {
                Sent sent = new Sent(AppendLog.decode(f[3]), Long.parseLong(f[0]));
                Key key = new Key(AppendLog.decode(f[1]), AppendLog.decode(f[2]));
                if (sent.at() >= keepFrom.toEpochMilli()) {
                    ids.put(key, sent);
                } else {
                    ids.remove(key);
                }
            } catch (RuntimeException e) {
                damaged++;
            }
        }
        if (damaged > 0) {
            LOG.warn("store {}: {} damaged lines of {} skipped", file.getParent(), damaged, FILE);
        }
        this.log = AppendLog.start(file, WHAT, lines());
    }

    synchronized void remember(String appid, String channelMsgId, String id, Instant at) {
        Objects.requireNonNull(appid, "appid");
        Objects.requireNonNull(channelMsgId, "channelMsgId");
        Objects.requireNonNull(id, "id");
        Key key = new Key(appid, channelMsgId);
        Sent sent = new Sent(id, at.toEpochMilli());
        ids.put(key, sent);
        log.append(line(key, sent));
    }

    synchronized Optional<String> idOf(String appid, String channelMsgId) {
        return Optional.ofNullable(ids.get(new Key(appid, channelMsgId))).map(Sent::id);
    }

    /** Forgets those sent before this instant, in memory and in the log. */
    synchronized int purge(Instant before) {
        int size = ids.size();
        ids.values().removeIf(sent -> sent.at() < before.toEpochMilli());
        int removed = size - ids.size();
        if (removed > 0) {
            log.rewrite(lines());
        }
        return removed;
    }

    @Override
    public synchronized void close() {
        log.close();
    }

    private List<String> lines() {
        List<String> lines = new ArrayList<>(ids.size());
        ids.forEach((key, sent) -> lines.add(line(key, sent)));
        return lines;
    }

    private static String line(Key key, Sent sent) {
        return sent.at() + " " + AppendLog.encode(key.appid()) + " " + AppendLog.encode(key.channelMsgId()) + " "
                + AppendLog.encode(sent.id());
    }
}
