package dev.kefurelay.media;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What an uploaded media_id stands for: an account, the upload type, and the content's SHA-256. The same picture
 * sent by two accounts is two uploads (a media_id belongs to the account that uploaded it), and the same bytes as an
 * image and as a thumb too (WeChat keeps them apart). A WeCom corp's account is {@code wecom:<corpid>}, so that an id
 * of one platform is never sent to the other.
 *
 * @param sha256 the SHA-256 of the content; for content whose name the customer sees (WeCom's {@code file}), of the
 *               name (UTF-8), a NUL and the content: the same bytes under another name are another upload
 */
public record MediaKey(String appid, String uploadType, String sha256) {

    public static MediaKey of(String appid, String uploadType, byte[] content) {
        return of(appid, uploadType, null, content);
    }

    /** @param shownName the name the upload carries for the customer to see, or null when none is shown */
    public static MediaKey of(String appid, String uploadType, String shownName, byte[] content) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            if (shownName != null) {
                digest.update(shownName.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
            return new MediaKey(appid, uploadType, HexFormat.of().formatHex(digest.digest(content)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
