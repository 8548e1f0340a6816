package dev.kefurelay.component;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kefurelay.media.MediaLimits;
import dev.kefurelay.media.MediaUploads;
import dev.kefurelay.message.MediaRef;
import dev.kefurelay.message.OutboundMessage;
import dev.kefurelay.token.TokenCache;
import dev.kefurelay.token.TokenCalls;
import dev.kefurelay.wechat.ErrorPolicy;
import dev.kefurelay.wechat.WeChatClient;
import dev.kefurelay.wechat.WeChatReply;

/**
 * An Official Account's (or Mini Program's) media sources turned into media ids ({@link MediaUploads}): remembered
 * per account and content, or uploaded to WeChat's {@code media/upload} with the account's token (the authorizer's
 * in component mode). Failures are the contract's: bad content is invalid-input, a refused upload wechat-error, a
 * busy WeChat (-1) retryable like a send.
 */
final class MediaSteps {

    static final String UPLOAD = "/cgi-bin/media/upload";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final MediaUploads uploads;

    /** @param pool where a call goes on once a token that had to be fetched is there (see TokenCalls.authorized) */
    MediaSteps(WeChatClient api, TokenCache tokens, MediaUploads.Shared shared, MediaLimits limits, Executor pool) {
        this.uploads = new MediaUploads(shared, limits, (appid, ref, content, format, name, calls) ->
                TokenCalls.authorized(tokens, appid, token -> api.upload(UPLOAD, TokenCalls.query(token) + "&type="
                        + ref.uploadType(), "media", content, format.mime(), name), calls, pool)
                        .thenApply(reply -> mediaId(reply, ref)));
    }

    /** Resolves every source of the message (see {@link MediaUploads#resolve}). */
    CompletableFuture<MediaUploads.Resolved> resolve(OutboundMessage message, Executor calls) {
        return uploads.resolve(message.appid(), message.appid(), message.media(), calls);
    }

    /** Forgets the remembered ids WeChat no longer knows (40007), so the next resolve uploads them again. */
    void forget(MediaUploads.Resolved resolved) {
        uploads.forget(resolved);
    }

    /** The custom/send body with each id in its field. */
    static String payload(OutboundMessage message, MediaUploads.Resolved resolved) {
        return resolved.fill((ObjectNode) JSON.valueToTree(message.message())).toString();
    }

    private static String mediaId(WeChatReply reply, MediaRef ref) {
        return MediaUploads.mediaId(reply, ref, ErrorPolicy.verdict(reply) == ErrorPolicy.Verdict.DELIVERED ? null
                : ErrorPolicy.failure(reply));
    }
}
