package dev.kefurelay.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Media sources as the reader takes them out of a message: where the content comes from and which id it fills. */
class MediaSourcesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final MessageReader reader = new MessageReader("wxdefault");

    @Test
    void aFileStandsInForTheMediaIdAndNeverReachesWeChat() throws Exception {
        OutboundMessage m = reader.read("{\"touser\":\"o1\",\"msgtype\":\"image\",\"image\":{\"file\":\"promo.jpg\"}}",
                null, null, new MediaInput(Path.of("/srv/inbox"), null, null));
        MediaRef ref = m.media().get(0);
        assertEquals(List.of(new MediaRef("image", "media_id", "image", MediaRef.Origin.FILE, "promo.jpg",
                Path.of("/srv/inbox"), null)), m.media());
        assertEquals("image.file 'promo.jpg'", ref.describe());
        assertNull(m.message().image().media_id());
        assertEquals("{\"touser\":\"o1\",\"msgtype\":\"image\",\"image\":{}}", JSON.writeValueAsString(m.message()));
    }

    @Test
    void aVideoTakesASourceForItsThumbTooAndAMiniProgramCardIsAnImage() {
        OutboundMessage video = reader.read("{\"touser\":\"o1\",\"msgtype\":\"video\",\"video\":{\"source_url\":"
                + "\"https://cdn.example.com/a.mp4\",\"thumb_file\":\"a.jpg\",\"title\":\"t\"}}", null, null);
        assertEquals(List.of("media_id:video:URL", "thumb_media_id:thumb:FILE"), video.media().stream()
                .map(r -> r.field() + ":" + r.uploadType() + ":" + r.origin()).toList());
        assertEquals("t", video.message().video().title());
        OutboundMessage card = reader.read("{\"touser\":\"o1\",\"msgtype\":\"miniprogrampage\",\"miniprogrampage\":"
                + "{\"appid\":\"wxa\",\"pagepath\":\"p\",\"thumb_file\":\"card.png\"}}", null, null);
        assertEquals("image", card.media().get(0).uploadType());
        assertEquals("miniprogrampage.thumb_file 'card.png'", card.media().get(0).describe());
    }

    @Test
    void bytesFromTheExchangeFillOnlyAnIdTheMessageLeavesOut() {
        byte[] picture = {1, 2, 3};
        OutboundMessage m = reader.read("{\"touser\":\"o1\",\"msgtype\":\"image\",\"image\":{}}", null, null,
                new MediaInput(null, picture, null));
        assertEquals(MediaRef.Origin.EXCHANGE, m.media().get(0).origin());
        assertArrayEquals(picture, m.media().get(0).bytes());
        assertTrue(!m.media().get(0).toString().contains("[1, 2, 3]"), "no content in a log line");
        OutboundMessage given = reader.read("{\"touser\":\"o1\",\"msgtype\":\"image\",\"image\":{\"media_id\":\"M\"}}",
                null, null, new MediaInput(null, picture, null));
        assertEquals(List.of(), given.media());
        assertEquals("M", given.message().image().media_id());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"touser\":\"o1\",\"msgtype\":\"image\",\"image\":{\"file\":\"a.jpg\",\"source_url\":\"http://h/a.jpg\"}} | image names more than one of media_id, file and source_url: give one",
        "{\"touser\":\"o1\",\"msgtype\":\"video\",\"video\":{\"media_id\":\"M\",\"thumb_media_id\":\"T\",\"thumb_file\":\"a.jpg\"}} | video names more than one of thumb_media_id, thumb_file and thumb_source_url: give one",
        "{\"touser\":\"o1\",\"msgtype\":\"image\",\"image\":{\"file\":7}}                        | field 'image.file' must be a non-empty string",
        "{\"touser\":\"o1\",\"msgtype\":\"image\",\"image\":{\"file\":\" \"}}                      | field 'image.file' must be a non-empty string",
        "{\"touser\":\"o1\",\"msgtype\":\"image\",\"image\":{\"source_url\":\"ftp://h/a.jpg\"}}    | field 'image.source_url' must be an http(s) URL, not 'ftp://h/a.jpg'",
        "{\"touser\":\"o1\",\"msgtype\":\"image\",\"image\":{\"source_url\":\"https:///nohost\"}}  | field 'image.source_url' must be an http(s) URL",
        "{\"touser\":\"o1\",\"msgtype\":\"image\",\"image\":{\"source_url\":\"http://h/a b\"}}     | field 'image.source_url' is not a URL",
        "{\"touser\":\"o1\",\"msgtype\":\"mpnews\",\"mpnews\":{\"file\":\"a.jpg\"}}                | unknown field 'mpnews.file'",
        "{\"touser\":\"o1\",\"msgtype\":\"text\",\"text\":{\"content\":\"x\",\"file\":\"a.jpg\"}} | unknown field 'text.file'",
        "{\"touser\":\"o1\",\"msgtype\":\"voice\",\"voice\":{}}                                    | voice.media_id is missing: give media_id, file (a file in the media folder) or source_url (an http(s) URL)",
        "{\"touser\":\"o1\",\"msgtype\":\"music\",\"music\":{\"musicurl\":\"u\",\"hqmusicurl\":\"h\"}} | music.thumb_media_id is missing: give thumb_media_id, thumb_file",
    })
    void aBadSourceIsNamed(String json, String expected) {
        InvalidMessageException e = assertThrows(InvalidMessageException.class, () -> reader.read(json, null, null));
        assertTrue(e.getMessage().startsWith(expected.strip()), e.getMessage());
    }
}
