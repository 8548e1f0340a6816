package dev.kefurelay.media;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What an uploaded media_id stands for: an account, the upload type, and the content's SHA-256. The same picture
 * sent by two accounts is two uploads (a media_id belongs to the account that uploaded it), and the same bytes as an
 * image and as a thumb too (WeChat keeps them apart).
 */
public record MediaKey(String appid, String uploadType, String sha256) {

    public static MediaKey of(String appid, String uploadType, byte[] content) {
        try {
            return new MediaKey(appid, uploadType,
                    HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
