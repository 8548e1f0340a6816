package dev.kefurelay.media;

import java.util.List;
import java.util.Map;

import dev.kefurelay.message.InvalidMessageException;

/**
 * WeChat's limits for temporary media, checked before an upload so that a picture WeChat would refuse (40004,
 * 40005, 45001) fails at once with the limit named. Formats come from the content's first bytes, never from the file
 * name: a renamed document is not a picture.
 *
 * @param image bytes at most for type image (PNG, JPEG, GIF)
 * @param voice bytes at most for type voice (AMR, MP3)
 * @param video bytes at most for type video (MP4)
 * @param thumb bytes at most for type thumb (JPEG)
 */
public record MediaLimits(long image, long voice, long video, long thumb) {

    public static final long KB = 1024;
    public static final long MB = 1024 * KB;
    /**
     * WeChat's page on temporary media says 10 MB for images in its table and 2 MB in its text; 10 MB is the table's
     * and the larger, so a picture WeChat takes is not refused here. Set 2 MB to be safe from the stricter reading.
     */
    public static final MediaLimits DEFAULTS = new MediaLimits(10 * MB, 2 * MB, 10 * MB, 64 * KB);

    /** A content format: how its bytes begin, its MIME type and file extension for the upload. */
    public enum Format {
        PNG("image/png", "png"), JPEG("image/jpeg", "jpg"), GIF("image/gif", "gif"), AMR("audio/amr", "amr"),
        MP3("audio/mpeg", "mp3"), MP4("video/mp4", "mp4");

        private final String mime;
        private final String extension;

        Format(String mime, String extension) {
            this.mime = mime;
            this.extension = extension;
        }

        public String mime() {
            return mime;
        }

        public String extension() {
            return extension;
        }
    }

    /** Upload type → the formats WeChat takes for it, as its page lists them. */
    public static final Map<String, List<Format>> FORMATS = Map.of(
            "image", List.of(Format.PNG, Format.JPEG, Format.GIF),
            "voice", List.of(Format.AMR, Format.MP3),
            "video", List.of(Format.MP4),
            "thumb", List.of(Format.JPEG));

    public MediaLimits {
        for (long limit : new long[] {image, voice, video, thumb}) {
            if (limit <= 0) {
                throw new IllegalArgumentException("a media size limit must be positive, not " + limit);
            }
        }
    }

    /** The limit of an upload type, in bytes. */
    public long of(String uploadType) {
        return switch (uploadType) {
            case "image" -> image;
            case "voice" -> voice;
            case "video" -> video;
            case "thumb" -> thumb;
            default -> throw new IllegalArgumentException("not a media type: " + uploadType);
        };
    }

    /** Refuses content over the type's limit; {@code what} names the source in the message. */
    public void checkSize(String uploadType, long size, String what) {
        if (size > of(uploadType)) {
            throw tooLarge(uploadType, what, String.valueOf(size));
        }
    }

    /** For content cut off at the limit while it was read: how much more there was is not known. */
    public InvalidMessageException overLimit(String uploadType, String what) {
        return tooLarge(uploadType, what, "more than " + of(uploadType));
    }

    private InvalidMessageException tooLarge(String uploadType, String what, String size) {
        return new InvalidMessageException(what + " has " + size + " bytes: WeChat takes " + uploadType
                + " media of at most " + human(of(uploadType)));
    }

    /**
     * The format of the content, once it is known to be one WeChat takes for this type.
     *
     * @throws InvalidMessageException naming what the content is (or that it is unknown) and what the type takes
     */
    public Format check(String uploadType, byte[] content, String what) {
        checkSize(uploadType, content.length, what);
        if (content.length == 0) {
            throw new InvalidMessageException(what + " is empty");
        }
        Format format = detect(content);
        List<Format> allowed = FORMATS.get(uploadType);
        if (format == null || !allowed.contains(format)) {
            throw new InvalidMessageException(what + " is " + (format == null ? "not a known media format"
                    : format.name()) + " by its content: WeChat takes " + uploadType + " media as "
                    + String.join(", ", allowed.stream().map(Enum::name).toList()));
        }
        return format;
    }

    /** The format the content's first bytes say, or null. */
    public static Format detect(byte[] b) {
        if (starts(b, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return Format.PNG;
        }
        if (starts(b, 0xFF, 0xD8, 0xFF)) {
            return Format.JPEG;
        }
        if (starts(b, 'G', 'I', 'F', '8', '7', 'a') || starts(b, 'G', 'I', 'F', '8', '9', 'a')) {
            return Format.GIF;
        }
        if (starts(b, '#', '!', 'A', 'M', 'R')) {
            return Format.AMR;
        }
        // an ID3 tag, or straight into an MPEG audio frame (11 sync bits; layer bits not 00)
        if (starts(b, 'I', 'D', '3') || b.length >= 2 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xE0) == 0xE0
                && (b[1] & 0x06) != 0) {
            return Format.MP3;
        }
        // ISO base media: a box size, then "ftyp"
        if (b.length >= 8 && b[4] == 'f' && b[5] == 't' && b[6] == 'y' && b[7] == 'p') {
            return Format.MP4;
        }
        return null;
    }

    private static boolean starts(byte[] b, int... prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((b[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    public static String human(long bytes) {
        if (bytes % MB == 0) {
            return bytes / MB + " MB";
        }
        return bytes % KB == 0 ? bytes / KB + " KB" : bytes + " bytes";
    }
}
