package dev.kefurelay.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kefurelay.message.InvalidMessageException;
import org.junit.jupiter.api.Test;

/** Formats by their first bytes, and the limits named in the refusal. */
class MediaLimitsTest {

    private static byte[] bytes(int... b) {
        byte[] out = new byte[Math.max(b.length, 16)];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    @Test
    void formatsAreKnownByTheirFirstBytes() {
        assertEquals(MediaLimits.Format.PNG, MediaLimits.detect(bytes(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)));
        assertEquals(MediaLimits.Format.JPEG, MediaLimits.detect(bytes(0xFF, 0xD8, 0xFF, 0xE0)));
        assertEquals(MediaLimits.Format.GIF, MediaLimits.detect(bytes('G', 'I', 'F', '8', '9', 'a')));
        assertEquals(MediaLimits.Format.AMR, MediaLimits.detect(bytes('#', '!', 'A', 'M', 'R', '\n')));
        assertEquals(MediaLimits.Format.MP3, MediaLimits.detect(bytes('I', 'D', '3', 4)));
        assertEquals(MediaLimits.Format.MP3, MediaLimits.detect(bytes(0xFF, 0xFB, 0x90)));
        assertEquals(MediaLimits.Format.MP4, MediaLimits.detect(bytes(0, 0, 0, 0x20, 'f', 't', 'y', 'p', 'm', 'p', '4')));
        assertNull(MediaLimits.detect("%PDF-1.7".getBytes()));
        assertNull(MediaLimits.detect(new byte[0]));
    }

    @Test
    void theLimitAndTheAllowedFormatsAreNamed() {
        MediaLimits limits = new MediaLimits(2 * MediaLimits.MB, 2 * MediaLimits.MB, 10 * MediaLimits.MB,
                64 * MediaLimits.KB);
        InvalidMessageException big = assertThrows(InvalidMessageException.class,
                () -> limits.check("image", new byte[2 * 1024 * 1024 + 1], "image.file 'a.png'"));
        assertEquals("image.file 'a.png' has 2097153 bytes: WeChat takes image media of at most 2 MB", big.getMessage());
        InvalidMessageException gif = assertThrows(InvalidMessageException.class,
                () -> limits.check("thumb", bytes('G', 'I', 'F', '8', '7', 'a'), "video.thumb_file 'a.gif'"));
        assertEquals("video.thumb_file 'a.gif' is GIF by its content: WeChat takes thumb media as JPEG",
                gif.getMessage());
        assertEquals(MediaLimits.Format.JPEG, limits.check("thumb", bytes(0xFF, 0xD8, 0xFF), "t"));
        assertThrows(IllegalArgumentException.class, () -> new MediaLimits(0, 1, 1, 1));
    }

    @Test
    void weComTakesFewerFormatsAFileOfAnyContentAndNothingOfFiveBytesOrLess() {
        MediaLimits wecom = MediaLimits.WECOM;
        assertEquals("image.file 'a.gif' is GIF by its content: WeCom takes image media as JPEG, PNG",
                assertThrows(InvalidMessageException.class, () -> wecom.check("image", bytes('G', 'I', 'F', '8', '9',
                        'a'), "image.file 'a.gif'")).getMessage());
        assertEquals("voice.file 'a.mp3' is MP3 by its content: WeCom takes voice media as AMR",
                assertThrows(InvalidMessageException.class, () -> wecom.check("voice", bytes('I', 'D', '3', 4),
                        "voice.file 'a.mp3'")).getMessage());
        assertEquals(MediaLimits.Format.BINARY, wecom.check("file", "%PDF-1.7".getBytes(), "file.file 'a.pdf'"));
        assertEquals(MediaLimits.Format.BINARY, wecom.check("file", bytes(0x89, 'P', 'N', 'G'), "file.file 'a.png'"));
        assertEquals("file.file 'a.txt' has 5 bytes: WeCom takes media of at least 6 bytes",
                assertThrows(InvalidMessageException.class, () -> wecom.check("file", "12345".getBytes(),
                        "file.file 'a.txt'")).getMessage());
        assertEquals("file.file 'a.zip' has 20971521 bytes: WeCom takes file media of at most 20 MB",
                assertThrows(InvalidMessageException.class, () -> wecom.checkSize("file", 20 * MediaLimits.MB + 1,
                        "file.file 'a.zip'")).getMessage());
        assertEquals(10 * MediaLimits.MB, wecom.of("video"));
        assertEquals(2 * MediaLimits.MB, wecom.of("voice"));
        // no thumb at WeCom: a link's picture is an image
        assertThrows(IllegalArgumentException.class, () -> wecom.of("thumb"));
        assertThrows(IllegalArgumentException.class, () -> MediaLimits.DEFAULTS.of("file"));
    }
}
