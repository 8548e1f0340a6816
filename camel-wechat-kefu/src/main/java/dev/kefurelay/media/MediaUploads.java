package dev.kefurelay.media;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kefurelay.message.MediaRef;
import dev.kefurelay.token.TokenCalls;
import dev.kefurelay.wechat.Reason;
import dev.kefurelay.wechat.RetryableSendException;
import dev.kefurelay.wechat.SendFailedException;
import dev.kefurelay.wechat.WeChatReply;

/**
 * Turns a message's media sources into media ids on one platform (WeChat's or WeCom's media/upload): each source's
 * content read (a file in the media folder, a URL, the exchange's bytes) and checked against the platform's limits,
 * then the id remembered for that account and content taken, or the content uploaded by the platform's
 * {@link Uploader}. However many messages carry the same content at once, one upload runs and the others wait for
 * its id. Bad content fails as the reader's {@code InvalidMessageException} naming the source, before any call;
 * what the upload fails with is the uploader's.
 */
public final class MediaUploads {

    /** An upload of type file carries the name the customer sees (WeCom shows a file by it). */
    static final String FILE = "file";
    /** A shown name longer than this is cut: it is the sender's path or URL, not a text for the customer. */
    static final int NAME_MAX = 128;

    /** What every platform's uploads share: the remembered ids, the media folder, the downloads, the meters. */
    public record Shared(MediaIds ids, Path mediaDir, UrlFetch urls, Listener listener) {
    }

    /** Told what became of each source, for metrics; {@code account} is the sending account the caller names. */
    public interface Listener {
        Listener NONE = new Listener() {
        };

        default void uploaded(String account, String uploadType) {
        }

        default void reused(String account, String uploadType) {
        }

        /** @param cause the failure as the message gets it (invalid content, a refused upload) */
        default void failed(String account, String uploadType, Throwable cause) {
        }
    }

    /** One platform's media/upload with the account's token. */
    public interface Uploader {
        /**
         * @param account the account whose token uploads (the key's: a WeCom corp's is {@code wecom:<corpid>})
         * @param name    the file name the upload carries
         * @return the media_id; fails with the contract's failure
         */
        CompletableFuture<String> upload(String account, MediaRef ref, byte[] content, MediaLimits.Format format,
                String name, Executor calls);
    }

    /** One source with its id: {@code remembered} when the id came from the memory, not from this message's upload. */
    public record Item(MediaRef ref, MediaKey key, String mediaId, boolean remembered) {
    }

    /** The message's sources, resolved. */
    public record Resolved(List<Item> items) {

        public Resolved {
            items = List.copyOf(items);
        }

        public boolean anyRemembered() {
            return items.stream().anyMatch(Item::remembered);
        }

        /** Puts each id into its field of the message (a tree of the body to send); returns the same tree. */
        public ObjectNode fill(ObjectNode message) {
            for (Item item : items) {
                ((ObjectNode) message.get(item.ref().msgtype())).put(item.ref().field(), item.mediaId());
            }
            return message;
        }
    }

    /** A source whose content was read and passed the limits. */
    private record Checked(MediaRef ref, byte[] content, MediaLimits.Format format, String name, MediaKey key) {
    }

    private final Shared shared;
    private final MediaLimits limits;
    private final Uploader uploader;
    private final Map<MediaKey, CompletableFuture<String>> uploading = new ConcurrentHashMap<>();

    public MediaUploads(Shared shared, MediaLimits limits, Uploader uploader) {
        this.shared = shared;
        this.limits = limits;
        this.uploader = uploader;
    }

    /**
     * Resolves every source: all of them read and checked first (a video is not uploaded when its thumb is
     * refused), then each id remembered or uploaded, one after the other. Reading and uploading block, so they run
     * on {@code calls}.
     *
     * @param keyAccount the account the ids belong to (its token uploads them)
     * @param account    the sending account as the listener is told it
     */
    public CompletableFuture<Resolved> resolve(String keyAccount, String account, List<MediaRef> refs,
            Executor calls) {
        return CompletableFuture.supplyAsync(() -> refs.stream().map(ref -> check(keyAccount, account, ref)).toList(),
                calls).thenCompose(checked -> {
                    CompletableFuture<List<Item>> done = CompletableFuture.completedFuture(new ArrayList<>());
                    for (Checked c : checked) {
                        done = done.thenCompose(items -> item(c, account, calls).thenApply(item -> {
                            items.add(item);
                            return items;
                        }));
                    }
                    return done;
                }).thenApply(Resolved::new);
    }

    /** Forgets the remembered ids the platform no longer knows (40007), so the next resolve uploads them again. */
    public void forget(Resolved resolved) {
        for (Item item : resolved.items()) {
            if (item.remembered()) {
                shared.ids().remove(item.key(), item.mediaId());
            }
        }
    }

    private Checked check(String keyAccount, String account, MediaRef ref) {
        try {
            byte[] content = content(ref);
            MediaLimits.Format format = limits.check(ref.uploadType(), content, ref.describe());
            String shown = FILE.equals(ref.uploadType()) ? shownName(ref) : null;
            return new Checked(ref, content, format, shown != null ? shown : "media." + format.extension(),
                    MediaKey.of(keyAccount, ref.uploadType(), shown, content));
        } catch (RuntimeException e) {
            shared.listener().failed(account, ref.uploadType(), e);
            throw e;
        }
    }

    private CompletableFuture<Item> item(Checked c, String account, Executor calls) {
        String known = shared.ids().get(c.key());
        if (known != null) {
            shared.listener().reused(account, c.ref().uploadType());
            return CompletableFuture.completedFuture(new Item(c.ref(), c.key(), known, true));
        }
        return upload(c, account, calls)
                .thenApply(id -> new Item(c.ref(), c.key(), id, false))
                .whenComplete((item, error) -> {
                    if (error != null) {
                        shared.listener().failed(account, c.ref().uploadType(), unwrap(error));
                    }
                });
    }

    private byte[] content(MediaRef ref) {
        String what = ref.describe();
        return switch (ref.origin()) {
            case FILE -> MediaFolder.read(ref.folder() != null ? ref.folder() : shared.mediaDir(), ref.location(),
                    what, limits, ref.uploadType());
            case URL -> shared.urls().fetch(ref.location(), what, limits, ref.uploadType());
            case EXCHANGE -> ref.bytes();
        };
    }

    /** The one upload of this content for this account; a message that comes while it runs waits for its id. */
    private CompletableFuture<String> upload(Checked c, String account, Executor calls) {
        MediaKey key = c.key();
        CompletableFuture<String> mine = new CompletableFuture<>();
        CompletableFuture<String> running = uploading.putIfAbsent(key, mine);
        if (running != null) {
            // no upload of its own: counted as a reuse, though not "remembered" (that id is as fresh as it gets)
            shared.listener().reused(account, c.ref().uploadType());
            return running;
        }
        // an upload that ended between the memory's answer and now has put its id there already
        String known = shared.ids().get(key);
        if (known != null) {
            uploading.remove(key, mine);
            mine.complete(known);
            return mine;
        }
        uploader.upload(key.appid(), c.ref(), c.content(), c.format(), c.name(), calls)
                .whenComplete((id, error) -> {
                    if (error == null) {
                        // remembered before the waiting messages are let go: a message after them finds it
                        shared.ids().put(key, id);
                        shared.listener().uploaded(account, c.ref().uploadType());
                    }
                    uploading.remove(key, mine);
                    if (error == null) {
                        mine.complete(id);
                    } else {
                        mine.completeExceptionally(unwrap(error));
                    }
                });
        return mine;
    }

    /**
     * The media_id of an upload's answer, or the platform's failure for it named after the source
     * ({@code media/upload of image.file 'b.png': media size out of limit}); a retryable failure stays retryable, so
     * the message's backoff tries the upload again.
     *
     * @param failure what the platform's policy makes of an answer that did not pass; null when it passed
     */
    public static String mediaId(WeChatReply reply, MediaRef ref, SendFailedException failure) {
        String what = "media/upload of " + ref.describe() + ": ";
        if (failure != null) {
            throw failure instanceof RetryableSendException ? new RetryableSendException(failure.errcode(), what
                    + failure.errmsg()) : new SendFailedException(failure.reason(), failure.errcode(), what
                    + failure.errmsg());
        }
        String id = reply.text("media_id");
        if (id == null || id.isBlank()) {
            throw new SendFailedException(Reason.WECHAT_ERROR, null, what + "no media_id");
        }
        return id;
    }

    /**
     * The name a file source is shown by: the last part of its path or of its URL's path; "file" for bytes, or a
     * URL whose path ends in a slash. Quotes, slashes, colons and control characters become '_': the name goes into
     * a multipart header, and WeCom refuses a name with a slash or a colon.
     */
    static String shownName(MediaRef ref) {
        String path = switch (ref.origin()) {
            case FILE -> ref.location();
            case URL -> URI.create(ref.location()).getPath();
            case EXCHANGE -> null;
        };
        String last = path == null ? "" : path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
        StringBuilder name = new StringBuilder();
        last.codePoints().limit(NAME_MAX).forEach(c -> name.appendCodePoint(Character.isISOControl(c)
                || "\"\\/:".indexOf(c) >= 0 ? '_' : c));
        String shown = name.toString().strip();
        return shown.isEmpty() || shown.equals(".") || shown.equals("..") ? FILE : shown;
    }

    private static Throwable unwrap(Throwable t) {
        return TokenCalls.unwrap(t);
    }
}
