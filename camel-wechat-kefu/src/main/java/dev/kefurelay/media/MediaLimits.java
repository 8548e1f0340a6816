package dev.kefurelay.media;

import java.util.List;
import java.util.Map;

import dev.kefurelay.message.InvalidMessageException;

/**
 * A platform's limits for temporary media, checked before an upload so that content the platform would refuse
 * (WeChat's 40004, 40005, 45001; WeCom's 40004, 40006, 45001) fails at once with the limit named. Formats come from
 * the content's first bytes, never from the file name: a renamed document is not a picture.
 *
 * @param platform whose limits: the refusal names it ("WeChat takes image media of at most 10 MB")
 * @param sizes    upload type → bytes at most
 * @param formats  upload type → the formats it takes; an empty list takes any content (WeCom's {@code file})
 * @param minBytes the least content there must be (WeCom: "all files more than 5 bytes")
 */
public record MediaLimits(String platform, Map<String, Long> sizes, Map<String, List<Format>> formats,
        int minBytes) {

    public static final long KB = 1024;
    public static final long MB = 1024 * KB;

    /** A content format: how its bytes begin, its MIME type and file extension for the upload. */
    public enum Format {
        PNG("image/png", "png"), JPEG("image/jpeg", "jpg"), GIF("image/gif", "gif"), AMR("audio/amr", "amr"),
        MP3("audio/mpeg", "mp3"), MP4("video/mp4", "mp4"),
        /** Any content, for a type that takes any (WeCom's file): uploaded as bytes, never detected. */
        BINARY("application/octet-stream", "bin");

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

    /** WeChat's upload type → the formats it takes, as its page on temporary media lists them. */
    public static final Map<String, List<Format>> FORMATS = Map.of(
            "image", List.of(Format.PNG, Format.JPEG, Format.GIF),
            "voice", List.of(Format.AMR, Format.MP3),
            "video", List.of(Format.MP4),
            "thumb", List.of(Format.JPEG));

    /**
     * WeChat's page on temporary media says 10 MB for images in its table and 2 MB in its text; 10 MB is the table's
     * and the larger, so a picture WeChat takes is not refused here. Set 2 MB to be safe from the stricter reading.
     */
    public static final MediaLimits DEFAULTS = new MediaLimits(10 * MB, 2 * MB, 10 * MB, 64 * KB);

    /**
     * WeCom's media/upload (上传临时素材, developer.work.weixin.qq.com document/path/96484): every file more than 5
     * bytes; image 10 MB as JPG or PNG, voice 2 MB as AMR, video 10 MB as MP4, file 20 MB of anything. (Older copies
     * of the page say 2 MB for images; WeCom answers 45001 itself to what it refuses.)
     */
    public static final MediaLimits WECOM = new MediaLimits("WeCom",
            Map.of("image", 10 * MB, "voice", 2 * MB, "video", 10 * MB, "file", 20 * MB),
            Map.of("image", List.of(Format.JPEG, Format.PNG), "voice", List.of(Format.AMR),
                    "video", List.of(Format.MP4), "file", List.of()),
            6);

    public MediaLimits {
        sizes = Map.copyOf(sizes);
        formats = Map.copyOf(formats);
        for (Map.Entry<String, Long> size : sizes.entrySet()) {
            if (size.getValue() <= 0) {
                throw new IllegalArgumentException("a media size limit must be positive, not " + size.getValue()
                        + " (" + size.getKey() + ")");
            }
            if (!formats.containsKey(size.getKey())) {
                throw new IllegalArgumentException("no formats for media type " + size.getKey());
            }
        }
    }

    /** WeChat's limits, the component's options: bytes at most per upload type. */
    public MediaLimits(long image, long voice, long video, long thumb) {
        this("WeChat", Map.of("image", image, "voice", voice, "video", video, "thumb", thumb), FORMATS, 1);
    }

    public long image() {
        return of("image");
    }

    public long voice() {
        return of("voice");
    }

    public long video() {
        return of("video");
    }

    public long thumb() {
        return of("thumb");
    }

    /** The limit of an upload type, in bytes. */
    public long of(String uploadType) {
        Long size = sizes.get(uploadType);
        if (size == null) {
            throw new IllegalArgumentException("not a " + platform + " media type: " + uploadType);
        }
        return size;
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
        return new InvalidMessageException(what + " has " + size + " bytes: " + platform + " takes " + uploadType
                + " media of at most " + human(of(uploadType)));
    }

    /**
     * The format of the content, once it is known to be one the platform takes for this type ({@link Format#BINARY}
     * for a type that takes any).
     *
     * @throws InvalidMessageException naming what the content is (or that it is unknown) and what the type takes
     */
    public Format check(String uploadType, byte[] content, String what) {
        checkSize(uploadType, content.length, what);
        if (content.length == 0) {
            throw new InvalidMessageException(what + " is empty");
        }
        if (content.length < minBytes) {
            throw new InvalidMessageException(what + " has " + content.length + " bytes: " + platform + " takes media "
                    + "of at least " + minBytes + " bytes");
        }
        List<Format> allowed = formats.get(uploadType);
        if (allowed.isEmpty()) {
            return Format.BINARY;
        }
        Format format = detect(content);
        if (format == null || !allowed.contains(format)) {
            throw new InvalidMessageException(what + " is " + (format == null ? "not a known media format"
                    : format.name()) + " by its content: " + platform + " takes " + uploadType + " media as "
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
