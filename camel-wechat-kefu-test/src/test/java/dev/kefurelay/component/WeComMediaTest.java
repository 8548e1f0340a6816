package dev.kefurelay.component;

import static dev.kefurelay.component.MediaFixture.gif;
import static dev.kefurelay.component.MediaFixture.jpeg;
import static dev.kefurelay.component.MediaFixture.mp4;
import static dev.kefurelay.component.MediaFixture.padded;
import static dev.kefurelay.component.MediaFixture.png;
import static dev.kefurelay.component.WeComMediaFixture.CORPID;
import static dev.kefurelay.component.WeComMediaFixture.assertDelivered;
import static dev.kefurelay.component.WeComMediaFixture.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.kefurelay.sandbox.KfUpload;
import dev.kefurelay.testkit.WeChatKefuSandboxExtension;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Media sources of WeCom 微信客服 messages end to end: the component against the sandbox's WeCom over real HTTP, real
 * files in a temporary media folder and a loopback HTTP server for URL sources. The sandbox checks uploads as WeCom
 * does (type, format, size) and refuses (40007) any media_id its corp did not upload there. Expired tokens, failed
 * uploads and ids WeCom forgot: {@link WeComMediaReuploadTest}.
 */
class WeComMediaTest {

    @RegisterExtension
    static final WeChatKefuSandboxExtension wechat = new WeChatKefuSandboxExtension();

    @TempDir
    Path media;
    @RegisterExtension
    final MediaCamel camel = MediaCamel.weCom(wechat, () -> media);
    private HttpServer web;
    private final List<String> fetched = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startWeb() throws IOException {
        web = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        web.start();
    }

    private Exchange send(String msgtype, String content) {
        return WeComMediaFixture.send(camel.template(), msgtype, content);
    }

    @AfterEach
    void stop() {
        web.stop(0);
    }

    @Test
    void aFileAndAUrlBecomeIdsOfWeComsOwnUploadAndTheSameSourceIsNotUploadedAgain() throws Exception {
        Files.write(media.resolve("promo.jpg"), jpeg(40, 30));
        byte[] pdf = "%PDF-1.7 an offer, as a customer gets it".getBytes();
        serve("/docs/", "application/pdf", pdf);
        String offer = base() + "/docs/%E6%8A%A5%E4%BB%B7%E5%8D%95.pdf";

        assertDelivered(send("image", "{\"file\":\"promo.jpg\"}"));
        assertDelivered(send("file", "{\"source_url\":\"" + offer + "\"}"));

        List<KfUpload> uploads = camel.wecom().uploaded();
        assertEquals(List.of("image", "file"), uploads.stream().map(KfUpload::type).toList());
        assertEquals(List.of(CORPID, CORPID), uploads.stream().map(KfUpload::corpid).toList());
        // a file message shows the customer its name: the URL's, decoded, as it reached WeCom
        assertEquals("报价单.pdf", uploads.get(1).filename());
        assertEquals(pdf.length, uploads.get(1).bytes());
        // WeCom gets the id in the field the source stood for, and nothing of the source
        JsonNode image = camel.wecom().sent().get(0).body().path("image");
        assertEquals(uploads.get(0).mediaId(), image.path("media_id").asText());
        assertEquals(1, image.size());
        assertEquals(uploads.get(1).mediaId(),
                camel.wecom().sent().get(1).body().path("file").path("media_id").asText());

        // the same sources again: remembered ids, no upload (the URL is read again: what it serves may change)
        assertDelivered(send("image", "{\"file\":\"promo.jpg\"}"));
        assertDelivered(send("file", "{\"source_url\":\"" + offer + "\"}"));
        assertEquals(2, camel.wecom().uploads());
        assertEquals(List.of("/docs/%E6%8A%A5%E4%BB%B7%E5%8D%95.pdf", "/docs/%E6%8A%A5%E4%BB%B7%E5%8D%95.pdf"),
                fetched);
        assertEquals(uploads.get(0).mediaId(),
                camel.wecom().sent().get(2).body().path("image").path("media_id").asText());
        assertEquals(uploads.get(1).mediaId(),
                camel.wecom().sent().get(3).body().path("file").path("media_id").asText());
        assertEquals(2, camel.counting().uploaded.get());
        assertEquals(2, camel.counting().reused.get());

        // the same bytes under another name: the customer sees the name, so it is an upload of its own
        Files.write(media.resolve("offer-copy.pdf"), pdf);
        assertDelivered(send("file", "{\"file\":\"offer-copy.pdf\"}"));
        assertEquals(3, camel.wecom().uploads());
        assertEquals("offer-copy.pdf", camel.wecom().uploaded().get(2).filename());
    }

    @Test
    void aWeComIdNeverGoesToWeChatNorAWeChatIdToWeCom() throws Exception {
        Files.write(media.resolve("both.png"), png(12, 12));
        Exchange official = camel.template().request("wechat-kefu:send?failure=outcome", e -> e.getMessage().setBody(
                "{\"touser\":\"oOfficialUser1\",\"msgtype\":\"image\",\"image\":{\"file\":\"both.png\"}}"));
        assertDelivered(official);
        assertDelivered(send("image", "{\"file\":\"both.png\"}"));
        // the same picture, one upload on each platform, each id sent where it was uploaded (both check their ids)
        assertEquals(1, camel.sandbox().uploads().size());
        assertEquals(1, camel.wecom().uploads());
        assertFalse(camel.sandbox().uploads().get(0).mediaId().equals(camel.wecom().uploaded().get(0).mediaId()));
        assertEquals(camel.wecom().uploaded().get(0).mediaId(),
                camel.wecom().sent().get(0).body().path("image").path("media_id")
                .asText());
        // and the other way round: WeCom's id is remembered for WeCom only
        assertDelivered(camel.template().request("wechat-kefu:send?failure=outcome", e -> e.getMessage().setBody(
                "{\"touser\":\"oOfficialUser2\",\"msgtype\":\"image\",\"image\":{\"file\":\"both.png\"}}")));
        assertEquals(1, camel.sandbox().uploads().size());
        assertEquals(camel.sandbox().uploads().get(0).mediaId(), camel.sandbox().delivered().get(1).body().path("image")
                .path("media_id").asText());
    }

    @Test
    void aLinksPictureAVideoAndVoiceFromTheExchangesBytes() throws Exception {
        Files.write(media.resolve("card.png"), png(16, 9));
        Files.write(media.resolve("clip.mp4"), mp4(2048));
        serve("/thumb.jpg", "image/jpeg", jpeg(8, 8));
        assertDelivered(send("link", "{\"title\":\"新品上市\",\"url\":\"https://example.com/a\",\"thumb_file\":"
                + "\"card.png\"}"));
        assertDelivered(send("miniprogram", "{\"appid\":\"wxminiprogram01\",\"title\":\"订单\",\"pagepath\":"
                + "\"pages/o\",\"thumb_source_url\":\"" + base() + "/thumb.jpg\"}"));
        assertDelivered(send("video", "{\"file\":\"clip.mp4\"}"));
        byte[] amr = padded("#!AMR\n".getBytes(), 512);
        assertDelivered(camel.template().request("wechat-kefu:send?failure=outcome", e -> {
            e.getMessage().setBody(message("voice", "{}"));
            e.getMessage().setHeader(KefuHeaders.MEDIA, amr);
        }));
        assertEquals(List.of("image", "image", "video", "voice"), camel.wecom().uploaded().stream().map(KfUpload::type)
                .toList());
        assertEquals(camel.wecom().uploaded().get(0).mediaId(), camel.wecom().sent().get(0).body().path("link")
                .path("thumb_media_id").asText());
        assertEquals("新品上市", camel.wecom().sent().get(0).body().path("link").path("title").asText());
        assertEquals(camel.wecom().uploaded().get(1).mediaId(), camel.wecom().sent().get(1).body().path("miniprogram")
                .path("thumb_media_id").asText());
        assertEquals(amr.length, camel.wecom().uploaded().get(3).bytes());
    }

    @Test
    void contentWeComWouldRefuseIsRefusedNamingTheFieldWithoutAnyCall() throws Exception {
        Files.write(media.resolve("anim.gif"), gif());
        Files.write(media.resolve("tiny.txt"), "12345".getBytes());
        Files.write(media.resolve("song.mp3"), padded(new byte[] {'I', 'D', '3', 4}, 64));
        sparse(media.resolve("huge.zip"), 20 * 1024 * 1024 + 1);
        sparse(media.resolve("huge.png"), 10 * 1024 * 1024 + 1);
        assertRefused(send("image", "{\"file\":\"anim.gif\"}"),
                "image.file 'anim.gif' is GIF by its content: WeCom takes image media as JPEG, PNG");
        assertRefused(send("voice", "{\"file\":\"song.mp3\"}"),
                "voice.file 'song.mp3' is MP3 by its content: WeCom takes voice media as AMR");
        assertRefused(send("file", "{\"file\":\"huge.zip\"}"),
                "file.file 'huge.zip' has 20971521 bytes: WeCom takes file media of at most 20 MB");
        assertRefused(send("image", "{\"file\":\"huge.png\"}"),
                "image.file 'huge.png' has 10485761 bytes: WeCom takes image media of at most 10 MB");
        assertRefused(send("file", "{\"file\":\"tiny.txt\"}"),
                "file.file 'tiny.txt' has 5 bytes: WeCom takes media of at least 6 bytes");
        assertRefused(send("image", "{\"file\":\"../outside.jpg\"}"),
                "image.file '../outside.jpg' leaves the media folder ('..' is not allowed)");
        assertRefused(send("image", "{\"source_url\":\"http://10.0.0.1/a.png\"}"),
                "image.source_url 'http://10.0.0.1/a.png' could not be fetched: host '10.0.0.1', which has no public "
                        + "address");
        assertRefused(send("image", "{\"source_url\":\"file:///etc/passwd\"}"),
                "field 'image.source_url' must be an http(s) URL");
        assertRefused(send("image", "{\"media_id\":\"M\",\"file\":\"anim.gif\"}"),
                "image names more than one of media_id, file and source_url: give one");
        assertRefused(send("image", "{}"), "image.media_id is missing: give media_id, file (a file in the media "
                + "folder) or source_url (an http(s) URL)");
        assertRefused(send("link", "{\"title\":\"t\",\"url\":\"https://example.com\"}"), "link.thumb_media_id is "
                + "missing: give thumb_media_id, thumb_file (a file in the media folder) or thumb_source_url");
        assertRefused(send("text", "{\"content\":\"hi\",\"file\":\"a.png\"}"), "unknown field 'text.file'");
        // nothing reached WeCom, not even a token request
        assertEquals(0, camel.wecom().uploads());
        assertEquals(0, camel.wecom().sendCalls());
        assertEquals(0, camel.wecom().tokenFetches(CORPID));
        assertTrue(camel.counting().failed.contains("file:invalid-input"), camel.counting().failed.toString());
    }

    private void assertRefused(Exchange reply, String expected) {
        MediaFixture.assertRefused(reply, expected, camel.sandbox());
    }

    private String base() {
        return "http://127.0.0.1:" + web.getAddress().getPort();
    }

    private void serve(String path, String type, byte[] content) {
        web.createContext(path, exchange -> {
            fetched.add(exchange.getRequestURI().getRawPath());
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(200, content.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(content);
            }
        });
    }

    /** A file of this size that takes no room: its size is refused before a byte is read. */
    private static void sparse(Path file, long size) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
    }
}
