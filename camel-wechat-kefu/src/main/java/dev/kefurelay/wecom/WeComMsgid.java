package dev.kefurelay.wecom;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Pattern;

import dev.kefurelay.message.WeComFields;

/**
 * The msgid WeCom gets for a message's id. WeCom refuses a msgid its kf account has used, so the same id must always
 * give the same msgid: then a resend after an unknown outcome cannot reach the customer twice. An id WeCom takes as
 * it is (1 to 32 characters of {@code [0-9A-Za-z_-]}) is used unchanged, so operators find it in WeCom's records; any
 * other is mapped to the first 32 characters of the Base64url SHA-256 of its UTF-8 bytes (192 bits: two ids meet by
 * chance never in practice), which are in WeCom's alphabet by construction.
 */
public final class WeComMsgid {

    private static final Pattern TAKEN_AS_IS = Pattern.compile(WeComFields.MSGID_PATTERN);
    private static final int LENGTH = 32;
    private static final String RANDOM_PREFIX = "_";

    private WeComMsgid() {
    }

    /** The msgid of this id: itself when WeCom takes it, its hash otherwise. */
    public static String of(String id) {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("an id to map is not empty");
        }
        if (TAKEN_AS_IS.matcher(id).matches()) {
            return id;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * A msgid for a message without id, made once when it is read: every attempt of it carries the same one, so the
     * component's own retries cannot deliver it twice either. It starts with {@code _} so that a msgid WeCom reports
     * back (msg_send_fail) is known to stand for no id of the sender's.
     */
    public static String random() {
        return RANDOM_PREFIX + UUID.randomUUID().toString().replace("-", "").substring(1);
    }

    /**
     * The sender's id a msgid stands for, when it can be known from the msgid alone: none for a made-up one, the
     * msgid itself otherwise (an id WeCom took as it is); a mapped id is not known here ({@link WeComSteps} keeps
     * those it sent).
     */
    public static String idOf(String msgid) {
        return msgid == null || msgid.startsWith(RANDOM_PREFIX) ? null : msgid;
    }
}
