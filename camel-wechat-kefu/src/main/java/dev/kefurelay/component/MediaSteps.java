package dev.kefurelay.component;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kefurelay.media.MediaFolder;
import dev.kefurelay.media.MediaIds;
import dev.kefurelay.media.MediaKey;
import dev.kefurelay.media.MediaLimits;
import dev.kefurelay.media.UrlFetch;
import dev.kefurelay.message.MediaRef;
import dev.kefurelay.message.OutboundMessage;
import dev.kefurelay.token.TokenCache;
import dev.kefurelay.wechat.ErrorPolicy;
import dev.kefurelay.wechat.Reason;
import dev.kefurelay.wechat.RetryableSendException;
import dev.kefurelay.wechat.SendFailedException;
import dev.kefurelay.wechat.WeChatClient;
import dev.kefurelay.wechat.WeChatReply;

/**
 * Turns a message's media sources into media ids: the content read (file in the media folder, URL, or the
 * exchange's bytes), checked against WeChat's limits, then the id remembered for that account and content taken, or
 * uploaded with the account's token (the authorizer's in component mode). However many messages carry the same
 * content at once, one upload runs and the others wait for its id. Failures are the contract's: bad content is
 * invalid-input, a refused upload wechat-error, a busy WeChat (-1) retryable like a send.
 */
final class MediaSteps {

    static final String UPLOAD = "/cgi-bin/media/upload";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final WeChatClient api;
    private final TokenCache tokens;
    private final MediaIds ids;
    private final MediaLimits limits;
    private final Path mediaDir;
    private final UrlFetch urls;
    private final Outcomes outcomes;
    /** where a call goes on once a token that had to be fetched is there (see Attempts.authorized) */
    private final Executor pool;
    private final Map<MediaKey, CompletableFuture<String>> uploading = new ConcurrentHashMap<>();

    MediaSteps(WeChatClient api, TokenCache tokens, MediaIds ids, MediaLimits limits, Path mediaDir, UrlFetch urls,
            Outcomes outcomes, Executor pool) {
        this.api = api;
        this.tokens = tokens;
        this.ids = ids;
        this.limits = limits;
        this.mediaDir = mediaDir;
        this.urls = urls;
        this.outcomes = outcomes;
        this.pool = pool;
    }

    /** One source with its id: {@code remembered} when the id came from the cache rather than this message's upload. */
    record Item(MediaRef ref, MediaKey key, String mediaId, boolean remembered) {
    }

    /** The message's sources, resolved. */
    record Resolved(List<Item> items) {

        boolean anyRemembered() {
            return items.stream().anyMatch(Item::remembered);
        }

        /** The custom/send body with each id in its field. */
        String payload(OutboundMessage message) {
            ObjectNode tree = JSON.valueToTree(message.message());
            for (Item item : items) {
                ((ObjectNode) tree.get(item.ref().msgtype())).put(item.ref().field(), item.mediaId());
            }
            return tree.toString();
        }
    }

    /** A source whose content was read and passed WeChat's limits. */
    private record Checked(MediaRef ref, byte[] content, MediaLimits.Format format, MediaKey key) {
    }

    /**
     * Resolves every source of the message: all of them read and checked first (a video is not uploaded when its
     * thumb is refused), then each id remembered or uploaded, one after the other. Reading and uploading block, so
     * they run on {@code calls}.
     */
    CompletableFuture<Resolved> resolve(OutboundMessage message, Executor calls) {
        String appid = message.appid();
        return CompletableFuture.supplyAsync(() -> message.media().stream().map(ref -> check(appid, ref)).toList(),
                calls).thenCompose(checked -> {
                    CompletableFuture<List<Item>> done = CompletableFuture.completedFuture(new ArrayList<>());
                    for (Checked c : checked) {
                        done = done.thenCompose(items -> item(c, calls).thenApply(item -> {
                            items.add(item);
                            return items;
                        }));
                    }
                    return done;
                }).thenApply(Resolved::new);
    }

    /** Forgets the remembered ids WeChat no longer knows (40007), so the next resolve uploads them again. */
    void forget(Resolved resolved) {
        for (Item item : resolved.items()) {
            if (item.remembered()) {
                ids.remove(item.key(), item.mediaId());
            }
        }
    }

    private Checked check(String appid, MediaRef ref) {
        try {
            byte[] content = content(ref);
            MediaLimits.Format format = limits.check(ref.uploadType(), content, ref.describe());
            return new Checked(ref, content, format, MediaKey.of(appid, ref.uploadType(), content));
        } catch (RuntimeException e) {
            outcomes.mediaFailed(appid, ref.uploadType(), Outcomes.asFailure(e));
            throw e;
        }
    }

    private CompletableFuture<Item> item(Checked c, Executor calls) {
        String appid = c.key().appid();
        String known = ids.get(c.key());
        if (known != null) {
            outcomes.mediaReused(appid, c.ref().uploadType());
            return CompletableFuture.completedFuture(new Item(c.ref(), c.key(), known, true));
        }
        return upload(c.key(), c.ref(), c.content(), c.format(), calls)
                .thenApply(id -> new Item(c.ref(), c.key(), id, false))
                .whenComplete((item, error) -> {
                    if (error != null) {
                        outcomes.mediaFailed(appid, c.ref().uploadType(), Outcomes.asFailure(Attempts.unwrap(error)));
                    }
                });
    }

    private byte[] content(MediaRef ref) {
        String what = ref.describe();
        return switch (ref.origin()) {
            case FILE -> MediaFolder.read(ref.folder() != null ? ref.folder() : mediaDir, ref.location(), what, limits,
                    ref.uploadType());
            case URL -> urls.fetch(ref.location(), what, limits, ref.uploadType());
            case EXCHANGE -> ref.bytes();
        };
    }

    /** The one upload of this content for this account; a message that comes while it runs waits for its id. */
    private CompletableFuture<String> upload(MediaKey key, MediaRef ref, byte[] content, MediaLimits.Format format,
            Executor calls) {
        CompletableFuture<String> mine = new CompletableFuture<>();
        CompletableFuture<String> running = uploading.putIfAbsent(key, mine);
        if (running != null) {
            // no upload of its own: counted as a reuse, though not "remembered" (that id is as fresh as it gets)
            outcomes.mediaReused(key.appid(), ref.uploadType());
            return running;
        }
        // an upload that ended between the cache's answer and now has put its id there already
        String known = ids.get(key);
        if (known != null) {
            uploading.remove(key, mine);
            mine.complete(known);
            return mine;
        }
        String name = "media." + format.extension();
        Attempts.authorized(tokens, key.appid(), token -> api.upload(UPLOAD, Attempts.query(token) + "&type="
                + ref.uploadType(), "media", content, format.mime(), name), calls, pool)
                .thenApply(reply -> mediaId(reply, ref))
                .whenComplete((id, error) -> {
                    if (error == null) {
                        // remembered before the waiting messages are let go: a message after them finds it
                        ids.put(key, id);
                        outcomes.mediaUploaded(key.appid(), ref.uploadType());
                    }
                    uploading.remove(key, mine);
                    if (error == null) {
                        mine.complete(id);
                    } else {
                        mine.completeExceptionally(Attempts.unwrap(error));
                    }
                });
        return mine;
    }

    private static String mediaId(WeChatReply reply, MediaRef ref) {
        String what = "media/upload of " + ref.describe() + ": ";
        if (ErrorPolicy.verdict(reply) != ErrorPolicy.Verdict.DELIVERED) {
            SendFailedException f = ErrorPolicy.failure(reply);
            // busy stays retryable: the send's backoff tries the upload again
            throw f instanceof RetryableSendException ? new RetryableSendException(f.errcode(), what + f.errmsg())
                    : new SendFailedException(f.reason(), f.errcode(), what + f.errmsg());
        }
        String id = reply.text("media_id");
        if (id == null || id.isBlank()) {
            throw new SendFailedException(Reason.WECHAT_ERROR, null, what + "no media_id");
        }
        return id;
    }
}
