package dev.kefurelay.wecom;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kefurelay.media.MediaLimits;
import dev.kefurelay.media.MediaUploads;
import dev.kefurelay.message.MediaRef;
import dev.kefurelay.token.TokenCache;
import dev.kefurelay.token.TokenCalls;
import dev.kefurelay.wechat.WeChatClient;
import dev.kefurelay.wechat.WeChatReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media step of a WeCom 微信客服 message: its sources ({@code file}, {@code source_url}, their {@code thumb_}
 * forms, or the exchange's bytes) turned into ids by WeCom's own {@code POST /cgi-bin/media/upload?type=…} with the
 * corp's token, as {@link MediaUploads} does for every platform: checked first against WeCom's limits
 * ({@link MediaLimits#WECOM}), then remembered or uploaded once per content. The ids are remembered under the
 * account {@code wecom:<corpid>}, in the same memory (and shared store) as Official Accounts' ids, so that an id of
 * one platform never goes to the other. Failures are an Official Account's media failures: bad content invalid-input
 * before any call; a refused upload wechat-error with WeCom's errcode; busy (-1), WeCom's frequency limits (45009,
 * 45033), HTTP 5xx and 429 retryable with the message's backoff; a rejected token renewed once
 * ({@link TokenCalls#authorized}).
 */
public final class WeComMedia {

    static final String UPLOAD = "/cgi-bin/media/upload";
    /** Where a WeCom corp's media ids are remembered: never an appid of WeChat's. */
    static final String ACCOUNT_PREFIX = "wecom:";
    static final int INVALID_MEDIA_ID = 40007;

    private static final Logger LOG = LoggerFactory.getLogger(WeComMedia.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MediaUploads uploads;

    /** @param pool where a call goes on once a token that had to be fetched is there */
    public WeComMedia(WeChatClient api, TokenCache tokens, MediaUploads.Shared shared, Executor pool) {
        this.uploads = new MediaUploads(shared, MediaLimits.WECOM, (account, ref, content, format, name, calls) ->
                TokenCalls.authorized(tokens, account.substring(ACCOUNT_PREFIX.length()), token -> api.upload(UPLOAD,
                        TokenCalls.query(token) + "&type=" + ref.uploadType(), "media", content, format.mime(), name),
                        calls, pool).thenApply(reply -> mediaId(reply, ref)));
    }

    /**
     * WeCom's answer to the attempt's call.
     *
     * @param afterRefusedMedia the call was made a second time, with new ids, after WeCom refused a remembered one
     *                          (40007) under the same msgid
     */
    record Posted(WeChatReply reply, boolean afterRefusedMedia) {
    }

    /**
     * The attempt's call with the message's body: as read when it names no source; else with their ids, remembered
     * or uploaded first. A 40007 (invalid media_id) for an id that was remembered means WeCom forgot the upload
     * before the memory did: those ids are forgotten, the content uploaded again and the call made once more. A
     * 40007 for ids this very attempt uploaded is the answer.
     *
     * @param post the call with a body (its msgid unchanged, so a second call is still one message)
     */
    CompletableFuture<Posted> send(WeComMessage message, Executor calls,
            Function<String, CompletableFuture<WeChatReply>> post) {
        if (message.media().isEmpty()) {
            return post.apply(message.payload()).thenApply(reply -> new Posted(reply, false));
        }
        String corp = ACCOUNT_PREFIX + message.corpid();
        return uploads.resolve(corp, message.corpid(), message.media(), calls).thenCompose(resolved ->
                post.apply(payload(message, resolved)).thenCompose(reply -> {
                    if (reply.status() != 200 || reply.errcode() != INVALID_MEDIA_ID || !resolved.anyRemembered()) {
                        return CompletableFuture.completedFuture(new Posted(reply, false));
                    }
                    LOG.info("WeCom no longer knows a remembered media_id of corp {} (40007): uploading again",
                            message.corpid());
                    uploads.forget(resolved);
                    return uploads.resolve(corp, message.corpid(), message.media(), calls)
                            .thenCompose(fresh -> post.apply(payload(message, fresh)))
                            .thenApply(again -> new Posted(again, true));
                }));
    }

    /** The kf/send_msg body with each id in its field, in the order the reader wrote it. */
    private static String payload(WeComMessage message, MediaUploads.Resolved resolved) {
        try {
            return resolved.fill((ObjectNode) JSON.readTree(message.payload())).toString();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the reader wrote the payload: it is JSON", e);
        }
    }

    private static String mediaId(WeChatReply reply, MediaRef ref) {
        WeComAnswers.Verdict verdict = WeComAnswers.call(reply);
        return MediaUploads.mediaId(reply, ref, verdict == WeComAnswers.Verdict.DELIVERED ? null
                : WeComAnswers.failure(reply, verdict));
    }
}
