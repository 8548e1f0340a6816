package dev.kefurelay.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kefurelay.media.MediaLimits;
import dev.kefurelay.message.MessageFields;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code POST /cgi-bin/media/upload?access_token=T&type=image|voice|video|thumb} with the file in the multipart field
 * {@code media}, as WeChat's temporary media: the type and the content's format and size checked (40004 unknown type,
 * 40005 a format the type does not take, 40006 empty, 45001 over the limit, 41005 no {@code media} part), and the
 * media_id it answers kept for 3 days, for the account that uploaded it. custom/send asks here whether an id it is
 * sent is one of them (40007 otherwise), when that check is on.
 */
final class MediaApi {

    static final String UPLOAD = "/cgi-bin/media/upload";
    static final Duration KEPT = Duration.ofDays(3);

    private record Uploaded(String appid, String type, Instant at) {
    }

    private final TokenIssuer issuer;
    private final Clock clock;
    private final Faults faults;
    private final Traffic traffic;
    private final Map<String, Uploaded> media = new ConcurrentHashMap<>();
    private final AtomicLong next = new AtomicLong();
    private volatile boolean checkIds;

    MediaApi(TokenIssuer issuer, Clock clock, Faults faults, Traffic traffic) {
        this.issuer = issuer;
        this.clock = clock;
        this.faults = faults;
        this.traffic = traffic;
    }

    ApiReply upload(ApiRequest request) {
        String appid = issuer.ownerOf(request.param("access_token"), TokenIssuer.ACCOUNT_TOKENS);
        ApiReply fault = faults.nextSendFault();
        if (fault != null) {
            traffic.uploadFailed();
            return fault;
        }
        String type = request.param("type");
        if (type == null || !MediaLimits.FORMATS.containsKey(type)) {
            throw new ApiException(ErrorCodes.INVALID_MEDIA_TYPE);
        }
        byte[] content = part(request, "media");
        if (content == null) {
            throw new ApiException(ErrorCodes.MEDIA_DATA_MISSING);
        }
        if (content.length == 0) {
            throw new ApiException(ErrorCodes.INVALID_MEDIA_SIZE);
        }
        if (!MediaLimits.FORMATS.get(type).contains(MediaLimits.detect(content))) {
            throw new ApiException(ErrorCodes.INVALID_FILE_TYPE);
        }
        if (content.length > MediaLimits.DEFAULTS.of(type)) {
            throw new ApiException(ErrorCodes.MEDIA_SIZE_OUT_OF_LIMIT);
        }
        Instant now = clock.instant();
        String id = "sandbox-media-" + type + "-" + next.incrementAndGet() + "-" + RandomTokens.next();
        media.put(id, new Uploaded(appid, type, now));
        traffic.uploaded(new WeChatSandbox.Upload(appid, type, id, content.length));
        ObjectNode reply = Json.newObject();
        reply.put("type", type);
        reply.put("media_id", id);
        reply.put("created_at", now.getEpochSecond());
        return ApiReply.json(reply);
    }

    /** Refuses (40007) a message whose media_id or thumb_media_id this account did not upload, or whose 3 days are up. */
    void checkIds(String appid, String msgtype, JsonNode content) {
        if (!checkIds || !MessageFields.MEDIA_FIELDS.containsKey(msgtype)) {
            return;
        }
        for (String field : MessageFields.MEDIA_FIELDS.get(msgtype).keySet()) {
            String id = Json.text(content, field);
            if (id == null) {
                continue;
            }
            Uploaded u = media.get(id);
            if (u == null || !u.appid().equals(appid) || !clock.instant().isBefore(u.at().plus(KEPT))) {
                throw new ApiException(ErrorCodes.INVALID_MEDIA_ID);
            }
        }
    }

    void requireUploaded(boolean on) {
        checkIds = on;
    }

    /** WeChat forgets every upload (as after 3 days): the ids answer 40007 from now on. */
    void forgetAll() {
        media.clear();
    }

    /** The content of one part of a multipart/form-data body, or null (see {@link #formPart}). */
    static byte[] part(ApiRequest request, String name) {
        FormPart part = formPart(request, name);
        return part == null ? null : part.content();
    }

    /** One part of a multipart/form-data body: its headers (read as UTF-8) and content. */
    record FormPart(String headers, byte[] content) {

        private static final Pattern FILENAME = Pattern.compile("(?i)filename=\"([^\"]*)\"");

        /** The part's {@code filename="…"} as the client wrote it (browsers: UTF-8 as it is), or null. */
        String filename() {
            Matcher m = FILENAME.matcher(headers);
            return m.find() ? m.group(1) : null;
        }
    }

    /**
     * One part of a multipart/form-data body, or null. Enough of RFC 7578 for what HTTP clients send: the boundary
     * from the Content-Type, each part's headers up to a blank line, the name in Content-Disposition.
     */
    static FormPart formPart(ApiRequest request, String name) {
        String type = request.contentType();
        if (type == null || !type.toLowerCase().startsWith("multipart/form-data")) {
            return null;
        }
        String boundary = null;
        for (String param : type.split(";")) {
            String p = param.strip();
            if (p.toLowerCase().startsWith("boundary=")) {
                boundary = p.substring("boundary=".length()).replace("\"", "");
            }
        }
        if (boundary == null) {
            return null;
        }
        byte[] body = request.body();
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int at = indexOf(body, delimiter, 0);
        while (at >= 0) {
            int headersStart = at + delimiter.length + 2;
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), headersStart);
            if (headersEnd < 0) {
                return null;
            }
            String headers = new String(body, headersStart, headersEnd - headersStart, StandardCharsets.UTF_8);
            int contentStart = headersEnd + 4;
            int nextAt = indexOf(body, ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1), contentStart);
            if (nextAt < 0) {
                return null;
            }
            if (headers.toLowerCase().contains("name=\"" + name + "\"")) {
                return new FormPart(headers, Arrays.copyOfRange(body, contentStart, nextAt));
            }
            at = nextAt + 2;
        }
        return null;
    }

    private static int indexOf(byte[] data, byte[] pattern, int from) {
        outer:
        for (int i = Math.max(0, from); i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
