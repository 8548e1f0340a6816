package dev.kefurelay.inbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kefurelay.KefuRelay;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.testkit.Http;
import dev.kefurelay.testkit.KefuSandboxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pictures beside a dropped message file: real files in the relay's inbox, the relay's own YAML inbox route, the
 * sandbox over real HTTP refusing any media_id it did not issue.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the metrics add up over both tests
class InboxMediaTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** A JPEG by its first bytes, which is what WeChat (and the sandbox) looks at. */
    private static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 0x10, 'J', 'F', 'I', 'F',
        0, 1, 1, 0, 0, 1, 0, 1, 0, 0, (byte) 0xFF, (byte) 0xD9};

    @RegisterExtension
    static final KefuSandboxExtension wechat = new KefuSandboxExtension()
            .withProperty("kefu.media.image-max-size", "1KB");
    static Path inbox;
    static WeChatSandbox sandbox;

    @BeforeAll
    static void folders() {
        inbox = wechat.folder("inbox");
        sandbox = wechat.sandbox().requireUploadedMedia(true);
    }

    private static void drop(String name, String content) throws Exception {
        Files.createDirectories(inbox);
        Path tmp = inbox.resolve(name + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, inbox.resolve(name));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private static String image(String user, String file) {
        return "{\"touser\":\"" + user + "\",\"msgtype\":\"image\",\"image\":{\"file\":\"" + file + "\"}}";
    }

    @Test
    @Order(1)
    void aPictureBesideADroppedFileIsSentAndMovesWithItToDone() throws Exception {
        Files.createDirectories(inbox);
        Files.write(inbox.resolve("promo.jpg"), JPEG);
        drop("promo-mailing.json", "[" + image("oInboxUser1", "promo.jpg") + "," + image("oInboxUser2", "promo.jpg")
                + "]");
        await().atMost(WAIT).until(() -> Files.exists(inbox.resolve(".done/promo-mailing.json")));
        assertTrue(Files.exists(inbox.resolve(".done/promo.jpg")), "the picture moved with its message file");
        assertFalse(Files.exists(inbox.resolve("promo.jpg")));
        assertFalse(Files.exists(inbox.resolve(".error/promo.jpg.error.json")), "the picture is no message");
        List<WeChatSandbox.Upload> uploads = sandbox.uploads();
        assertEquals(1, uploads.size());
        Set<String> ids = sandbox.delivered().stream().map(d -> d.body().path("image").path("media_id").asText())
                .collect(Collectors.toSet());
        assertEquals(Set.of(uploads.get(0).mediaId()), ids);
        assertEquals(2, sandbox.deliveredCount());

        Http.Reply scrape = Http.get(wechat.relay().httpUrl() + KefuRelay.METRICS_PATH);
        Map<String, String> tags = Map.of("appid", KefuSandboxExtension.DEMO_APPID, "type", "image");
        assertEquals(1.0, Http.sample(scrape.body(), "kefu_media_uploads_total", tags), scrape.body());
        assertEquals(1.0, Http.sample(scrape.body(), "kefu_media_cache_hits_total", tags));
    }

    @Test
    @Order(2)
    void aPictureOfAFailedMessageGoesToErrorBesideItsFailedLine() throws Exception {
        Files.createDirectories(inbox);
        Files.writeString(inbox.resolve("notes.png"), "a text file under a picture's name");
        byte[] another = java.util.Arrays.copyOf(JPEG, JPEG.length + 1); // other content: its own upload
        Files.write(inbox.resolve("ok.jpg"), another);
        drop("mixed-media.jsonl", image("oInboxUser3", "notes.png") + "\n" + image("oInboxUser4", "ok.jpg") + "\n");
        await().atMost(WAIT).until(() -> Files.exists(inbox.resolve(".done/mixed-media.jsonl")));
        assertTrue(Files.exists(inbox.resolve(".done/ok.jpg")));
        assertTrue(Files.exists(inbox.resolve(".error/notes.png")), "beside the line to fix and drop again");
        JsonNode failed = JSON.readTree(Files.readAllLines(inbox.resolve(".error/mixed-media.jsonl.failed.jsonl"))
                .get(0));
        assertEquals("invalid-input", failed.path("reason").asText());
        assertEquals("image.file 'notes.png' is not a known media format by its content: WeChat takes image media "
                + "as PNG, JPEG, GIF", failed.path("errmsg").asText());
        assertEquals(1, sandbox.uploads().size());
        Http.Reply scrape = Http.get(wechat.relay().httpUrl() + KefuRelay.METRICS_PATH);
        assertEquals(2.0, Http.sample(scrape.body(), "kefu_media_uploads_total", Map.of("appid",
                KefuSandboxExtension.DEMO_APPID, "type", "image")), scrape.body());
        assertEquals(1.0, Http.sample(scrape.body(), "kefu_media_failures_total", Map.of("appid",
                KefuSandboxExtension.DEMO_APPID, "type", "image", "reason", "invalid-input")), scrape.body());
    }

    @Test
    @Order(3)
    void aMessageFromAnyEdgeNamesFilesInTheMediaFolderWithinTheConfiguredLimits() throws Exception {
        Path media = Files.createDirectories(wechat.folder("media")); // the relay's kefu.media.dir
        Files.write(media.resolve("logo.jpg"), java.util.Arrays.copyOf(JPEG, JPEG.length + 2));
        Files.write(media.resolve("poster.jpg"), java.util.Arrays.copyOf(JPEG, 1025));
        assertTrue(wechat.relay().send(image("oMediaUser1", "logo.jpg")).contains("\"errcode\":0"));
        assertEquals(1, sandbox.uploads().size());
        String refused = wechat.relay().send(image("oMediaUser2", "poster.jpg"));
        assertTrue(refused.contains("image.file 'poster.jpg' has 1025 bytes: WeChat takes image media of at most 1 KB"),
                refused);
        // a file of the inbox is not one of the media folder
        Files.write(inbox.resolve("beside.jpg"), JPEG);
        assertTrue(wechat.relay().send(image("oMediaUser3", "beside.jpg")).contains("is not in the media folder"));
        assertEquals(1, sandbox.uploads().size());
    }

    @Test
    @Order(4)
    void aFileNameTheFileSystemRefusesFailsItsLineAloneAndTheOthersAreDeliveredOnce() throws Exception {
        Files.createDirectories(inbox);
        byte[] picture = java.util.Arrays.copyOf(JPEG, JPEG.length + 3); // content of its own: one upload
        Files.write(inbox.resolve("good.jpg"), picture);
        // a NUL is a valid JSON string character, but no file system takes it in a name
        String bad = image("oNulUser2", "bad\\u0000name.jpg");
        drop("nul-name.jsonl", image("oNulUser1", "good.jpg") + "\n" + bad + "\n" + image("oNulUser3", "good.jpg")
                + "\n");
        Path refusedWhole = inbox.resolve(".error/nul-name.jsonl.error.json");
        await().atMost(WAIT).until(() -> Files.exists(inbox.resolve(".done/nul-name.jsonl"))
                || Files.exists(refusedWhole));
        assertFalse(Files.exists(refusedWhole), () -> "the file is not refused whole: " + read(refusedWhole));
        assertEquals(List.of("oNulUser1", "oNulUser3"), sandbox.delivered().stream().map(d -> d.body().path("touser")
                .asText()).sorted().toList());
        List<String> failedLines = Files.readAllLines(inbox.resolve(".error/nul-name.jsonl.failed.jsonl"));
        assertEquals(1, failedLines.size(), failedLines.toString());
        JsonNode failed = JSON.readTree(failedLines.get(0));
        assertEquals("invalid-input", failed.path("reason").asText());
        assertTrue(failed.path("errmsg").asText().startsWith("image.file 'bad\\u0000name.jpg' is not a valid path"),
                failed.path("errmsg").asText());
        // the line as it was dropped, to be fixed and dropped again
        assertEquals("bad\u0000name.jpg", failed.path("message").path("image").path("file").asText());
        assertTrue(Files.exists(inbox.resolve(".done/good.jpg")), "the picture moved with its message file");
    }
}
