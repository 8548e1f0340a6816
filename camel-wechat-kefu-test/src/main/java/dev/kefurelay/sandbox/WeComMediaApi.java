package dev.kefurelay.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kefurelay.media.MediaLimits;
import dev.kefurelay.message.WeComFields;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * WeCom's {@code POST /cgi-bin/media/upload?access_token=T&type=image|voice|video|file} (上传临时素材), the file in the
 * multipart field {@code media}: 40005 an unknown type, 44001 no {@code media} part, 40006 5 bytes or fewer, 40004 a
 * format the type does not take (image JPG or PNG, voice AMR, video MP4, file anything), 45001 over the type's limit
 * (image and video 10 MB, voice 2 MB, file 20 MB). The answer is WeCom's
 * {@code {"errcode":0,"errmsg":"","type","media_id","created_at":"<seconds>"}} (created_at a string, as WeCom writes
 * it); the id is kept for 3 days for the corp that uploaded it, which send_msg can be made to check. Injected
 * failures answer before any check (after the token's).
 */
final class WeComMediaApi {

    static final long MIN_BYTES = 6;
    static final Map<String, Long> MAX_BYTES = Map.of("image", 10L << 20, "voice", 2L << 20, "video", 10L << 20,
            "file", 20L << 20);
    private static final Map<String, List<MediaLimits.Format>> FORMATS = Map.of(
            "image", List.of(MediaLimits.Format.JPEG, MediaLimits.Format.PNG),
            "voice", List.of(MediaLimits.Format.AMR),
            "video", List.of(MediaLimits.Format.MP4));

    private record Uploaded(String corpid, Instant at) {
    }

    private final TokenIssuer issuer;
    private final Clock clock;
    private final Map<String, Uploaded> media = new ConcurrentHashMap<>();
    private final List<KfUpload> uploaded = new CopyOnWriteArrayList<>();
    private final Faults faults = new Faults();
    private final AtomicLong next = new AtomicLong();
    private volatile boolean checkIds;

    WeComMediaApi(TokenIssuer issuer, Clock clock) {
        this.issuer = issuer;
        this.clock = clock;
    }

    ApiReply upload(ApiRequest request) {
        String corpid = issuer.ownerOf(request.param("access_token"), TokenIssuer.WECOM_TOKENS);
        ApiReply fault = faults.nextSendFault();
        if (fault != null) {
            return fault;
        }
        String type = request.param("type");
        if (type == null || !MAX_BYTES.containsKey(type)) {
            throw new ApiException(WeComErrors.INVALID_TYPE);
        }
        MediaApi.FormPart part = MediaApi.formPart(request, "media");
        byte[] content = part == null ? null : part.content();
        if (content == null) {
            throw new ApiException(WeComErrors.EMPTY_MEDIA);
        }
        if (content.length < MIN_BYTES) {
            throw new ApiException(WeComErrors.INVALID_FILE_SIZE);
        }
        List<MediaLimits.Format> formats = FORMATS.get(type);
        if (formats != null && !formats.contains(MediaLimits.detect(content))) {
            throw new ApiException(WeComErrors.INVALID_MEDIA_FILE_TYPE);
        }
        if (content.length > MAX_BYTES.get(type)) {
            throw new ApiException(WeComErrors.MEDIA_TOO_LARGE);
        }
        Instant now = clock.instant();
        String id = "3" + type + next.incrementAndGet() + RandomTokens.next().substring(0, 40);
        media.put(id, new Uploaded(corpid, now));
        uploaded.add(new KfUpload(corpid, type, id, content.length, part.filename()));
        ObjectNode reply = Json.newObject();
        reply.put("errcode", 0);
        reply.put("errmsg", "");
        reply.put("type", type);
        reply.put("media_id", id);
        reply.put("created_at", String.valueOf(now.getEpochSecond()));
        return ApiReply.json(reply);
    }

    /** Refuses (40007) a media id of the message this corp did not upload, or whose 3 days are over, when checking. */
    void checkIds(String corpid, String msgtype, JsonNode content) {
        if (!checkIds || !WeComFields.MEDIA_FIELDS.containsKey(msgtype)) {
            return;
        }
        for (String field : WeComFields.MEDIA_FIELDS.get(msgtype).keySet()) {
            String id = Json.text(content, field);
            Uploaded u = id == null ? null : media.get(id);
            if (id != null && (u == null || !u.corpid().equals(corpid)
                    || !clock.instant().isBefore(u.at().plus(MediaApi.KEPT)))) {
                throw new ApiException(WeComErrors.INVALID_MEDIA_ID);
            }
        }
    }

    void requireUploaded(boolean on) {
        checkIds = on;
    }

    /** The next {@code times} uploads answer this errcode (in WeCom's words). */
    void failNext(int errcode, int times) {
        faults.failNext(WeComErrors.reply(errcode, null), times);
    }

    /** The uploads accepted, in order. */
    List<KfUpload> uploaded() {
        return List.copyOf(uploaded);
    }

    /** WeCom forgets every upload (as after 3 days): their ids answer 40007 once checked. */
    void forgetAll() {
        media.clear();
    }

    void reset() {
        media.clear();
        uploaded.clear();
        faults.reset();
    }
}
