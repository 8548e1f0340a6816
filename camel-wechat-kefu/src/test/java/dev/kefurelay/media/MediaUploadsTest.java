package dev.kefurelay.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.kefurelay.message.MediaRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The name a WeCom file is shown by, and what it does to the key of its upload. */
class MediaUploadsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "FILE|报价单.pdf|报价单.pdf",
        "FILE|offers/2026/q1 offer.xlsx|q1 offer.xlsx",
        "FILE|offers\\\\a.doc|a.doc",
        "URL|https://cdn.example.com/docs/%E6%8A%A5%E4%BB%B7%E5%8D%95.pdf?v=2|报价单.pdf",
        "URL|https://cdn.example.com/docs/a%22b%3Ac%0A.txt|a_b_c_.txt",
        "URL|https://cdn.example.com/docs/|file",
        "URL|https://cdn.example.com|file",
        "EXCHANGE|KefuMedia|file",
    })
    void aFileIsShownByTheLastPartOfItsPathOrUrl(MediaRef.Origin origin, String location, String shown) {
        assertEquals(shown, MediaUploads.shownName(new MediaRef("file", "media_id", "file", origin, location, null,
                origin == MediaRef.Origin.EXCHANGE ? new byte[] {1} : null)));
    }

    @Test
    void theSameBytesUnderAnotherNameAreAnotherUpload() {
        byte[] content = "%PDF-1.7".getBytes();
        assertNotEquals(MediaKey.of("wecom:ww1", "file", "a.pdf", content), MediaKey.of("wecom:ww1", "file", "b.pdf",
                content));
        assertEquals(MediaKey.of("wecom:ww1", "file", "a.pdf", content), MediaKey.of("wecom:ww1", "file", "a.pdf",
                content));
        assertEquals(MediaKey.of("wx1", "image", content), MediaKey.of("wx1", "image", null, content));
    }
}
