package dev.kefurelay.component;

import static dev.kefurelay.component.MediaFixture.gif;
import static dev.kefurelay.component.MediaFixture.imageFile;
import static dev.kefurelay.component.MediaFixture.jpeg;
import static dev.kefurelay.component.MediaFixture.mp4;
import static dev.kefurelay.component.MediaFixture.padded;
import static dev.kefurelay.component.MediaFixture.png;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.testkit.WeChatKefuSandboxExtension;
import dev.kefurelay.token.TokenMode;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Media from files end to end: the component against the sandbox over real HTTP, with real files in a temporary media
 * folder (and bytes in the exchange). Each content is uploaded once, checked against WeChat's limits first, and never
 * read from outside the folder. The sandbox checks uploads like WeChat and refuses (40007) any media_id it did not
 * issue to the sending account. URL sources: {@link WeChatKefuMediaUrlTest}; upload failures and forgotten ids:
 * {@link WeChatKefuMediaReuploadTest}.
 */
class WeChatKefuMediaTest {

    @RegisterExtension
    static final WeChatKefuSandboxExtension wechat = new WeChatKefuSandboxExtension();
    @TempDir
    Path media;
    @TempDir
    Path outside;
    @RegisterExtension
    final MediaCamel camel = MediaCamel.weChat(wechat, () -> media);

    @Test
    void anImageFileSentTo100UsersAtOnceIsUploadedOnce() throws Exception {
        Files.write(media.resolve("promo.jpg"), jpeg(64, 48));
        // every call waits a little, so that the messages come while the one upload is still running
        camel.sandbox().latency(Duration.ofMillis(100));
        List<CompletableFuture<Exchange>> sends = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String body = "{\"touser\":\"oUser" + i + "\",\"msgtype\":\"image\",\"image\":{\"file\":\"promo.jpg\"}}";
            sends.add(camel.template().asyncSend("wechat-kefu:send?failure=outcome",
                    e -> e.getMessage().setBody(body)));
        }
        for (CompletableFuture<Exchange> send : sends) {
            assertEquals("delivered", send.get(30, TimeUnit.SECONDS).getMessage().getHeader(KefuHeaders.OUTCOME),
                    () -> send.join().getMessage().getBody(String.class));
        }
        List<WeChatSandbox.Upload> uploads = camel.sandbox().uploads();
        assertEquals(1, uploads.size());
        assertEquals("image", uploads.get(0).type());
        assertEquals(100, camel.sandbox().deliveredCount());
        Set<String> ids = camel.sandbox().delivered().stream()
                .map(d -> d.body().path("image").path("media_id").asText()).collect(Collectors.toSet());
        assertEquals(Set.of(uploads.get(0).mediaId()), ids);
        // the message WeChat got names the id only: the source is the relay's business
        assertEquals(Set.of("media_id"), fieldNames(camel.sandbox().delivered().get(0).body().path("image")));
        assertEquals(1, camel.counting().uploaded.get());
        assertEquals(99, camel.counting().reused.get());
    }

    @Test
    void aVideoWithItsThumbAndBytesFromTheExchange() throws Exception {
        Files.write(media.resolve("clip.mp4"), mp4(4096));
        Files.write(media.resolve("clip.jpg"), jpeg(16, 16));
        Exchange video = camel.send("{\"touser\":\"oVideoUser\",\"msgtype\":\"video\",\"video\":{\"file\":\"clip.mp4\","
                + "\"thumb_file\":\"clip.jpg\",\"title\":\"新品\"}}");
        assertEquals("delivered", video.getMessage().getHeader(KefuHeaders.OUTCOME),
                video.getMessage().getBody(String.class));
        assertEquals(List.of("video", "thumb"),
                camel.sandbox().uploads().stream().map(WeChatSandbox.Upload::type).toList());

        byte[] gif = gif();
        String bytesUri = "wechat-kefu:send?failure=outcome&msgtype=image&touser=oBytesUser";
        Exchange bytes = camel.template().request(bytesUri, e -> {
            e.getMessage().setBody("{}");
            e.getMessage().setHeader(KefuHeaders.MEDIA, gif);
        });
        assertEquals("delivered", bytes.getMessage().getHeader(KefuHeaders.OUTCOME),
                bytes.getMessage().getBody(String.class));
        assertEquals(3, camel.sandbox().uploads().size());
        assertEquals(gif.length, camel.sandbox().uploads().get(2).bytes());
    }

    @Test
    void tooLargeOrMistypedContentIsRefusedBeforeAnyUploadWithTheLimitNamed() throws Exception {
        Files.write(media.resolve("big-thumb.jpg"), padded(jpeg(8, 8), 70 * 1024));
        Files.write(media.resolve("clip.mp4"), mp4(1024));
        camel.assertRefused("{\"touser\":\"o1\",\"msgtype\":\"video\",\"video\":{\"file\":\"clip.mp4\",\"thumb_file\":"
                + "\"big-thumb.jpg\"}}", "video.thumb_file 'big-thumb.jpg' has 71680 bytes: WeChat takes thumb media "
                + "of at most 64 KB");
        // named .jpg, but a text file by its content
        Files.writeString(media.resolve("fake.jpg"), "this is no picture at all");
        camel.assertRefused("{\"touser\":\"o1\",\"msgtype\":\"image\",\"image\":{\"file\":\"fake.jpg\"}}",
                "image.file 'fake.jpg' is not a known media format by its content: WeChat takes image media as PNG, "
                        + "JPEG, GIF");
        // a real picture, but not what a voice message takes
        Files.write(media.resolve("voice.amr"), png(4, 4));
        camel.assertRefused("{\"touser\":\"o1\",\"msgtype\":\"voice\",\"voice\":{\"file\":\"voice.amr\"}}",
                "voice.file 'voice.amr' is PNG by its content: WeChat takes voice media as AMR, MP3");
        assertEquals(List.of(), camel.sandbox().uploads());
        assertEquals(0, camel.sandbox().sendCalls());
    }

    @Test
    void pathsLeavingTheMediaFolderAreRefused() throws Exception {
        Path secret = Files.writeString(outside.resolve("secret.jpg"), "not for WeChat");
        Files.write(outside.resolve("real.jpg"), jpeg(4, 4));
        Files.createSymbolicLink(media.resolve("link.jpg"), outside.resolve("real.jpg"));
        Files.createDirectories(media.resolve("sub"));
        camel.assertRefused(imageFile("../../etc/passwd"),
                "image.file '../../etc/passwd' leaves the media folder ('..' is "
                + "not allowed)");
        camel.assertRefused(imageFile("sub/../../" + outside.getFileName() + "/real.jpg"), "leaves the media folder");
        camel.assertRefused(imageFile(secret.toString()),
                "is an absolute path: give a path relative to the media folder");
        camel.assertRefused(imageFile("link.jpg"),
                "image.file 'link.jpg' leaves the media folder (a symbolic link points "
                + "outside)");
        camel.assertRefused(imageFile("missing.jpg"), "image.file 'missing.jpg' is not in the media folder");
        // a name no file system takes is the message's fault: invalid-input naming the field, not an "unexpected" error
        camel.assertRefused(imageFile("bad\\u0000name.jpg"), "image.file 'bad\\u0000name.jpg' is not a valid path");
        Exchange badFolder = camel.template().request("wechat-kefu:send?failure=outcome", e -> {
            e.setProperty(KefuHeaders.MEDIA_DIR_PROPERTY, media + "/bad\u0000dir");
            e.getMessage().setBody(imageFile("alias.jpg"));
        });
        assertEquals("invalid-input", badFolder.getMessage().getHeader(KefuHeaders.REASON));
        assertTrue(badFolder.getMessage().getHeader(KefuHeaders.ERRMSG, String.class).contains("exchange property "
                + "KefuMediaDir"), badFolder.getMessage().getHeader(KefuHeaders.ERRMSG, String.class));
        assertEquals(List.of(), camel.sandbox().uploads());
        // a link that stays inside is fine
        Files.write(media.resolve("sub/inside.jpg"), jpeg(4, 4));
        Files.createSymbolicLink(media.resolve("alias.jpg"), media.resolve("sub/inside.jpg"));
        assertEquals("delivered", camel.send(imageFile("alias.jpg")).getMessage().getHeader(KefuHeaders.OUTCOME));
    }

    @Test
    void aMessageNamesOneSourcePerId() {
        camel.assertRefused(
                "{\"touser\":\"o1\",\"msgtype\":\"image\",\"image\":{\"media_id\":\"M\",\"file\":\"a.png\"}}",
                "image names more than one of media_id, file and source_url: give one");
        camel.assertRefused("{\"touser\":\"o1\",\"msgtype\":\"image\",\"image\":{}}", "image.media_id is missing: give "
                + "media_id, file (a file in the media folder) or source_url (an http(s) URL)");
        camel.assertRefused("{\"touser\":\"o1\",\"msgtype\":\"mpnews\",\"mpnews\":{\"file\":\"a.png\"}}",
                "unknown field 'mpnews.file'");
    }

    @Test
    void inComponentModeTheAuthorizerUploadsWithItsOwnToken(@TempDir Path store) throws Exception {
        camel.sandbox().component("wxplatformmedia01", "platform-media-secret").authorizer("wxauthorizermedia1",
                "refresh@@@media-first");
        camel.sandbox().verifyTicket("ticket@@@media");
        WeChatKefuComponent platform = new WeChatKefuComponent();
        WeChatKefuComponentConfiguration platformOptions = platform.getConfiguration();
        platformOptions.setBaseUrl(camel.sandbox().baseUrl());
        platformOptions.setTokenMode(TokenMode.COMPONENT);
        platformOptions.setComponentAppid("wxplatformmedia01");
        platformOptions.setComponentSecret("platform-media-secret");
        platformOptions.setComponentTicket("ticket@@@media");
        platformOptions.setAuthorizers(Map.of("wxauthorizermedia1", "refresh@@@media-first"));
        platformOptions.setStoreDir(store.toString());
        platformOptions.setMediaDir(media.toString());
        Files.write(media.resolve("card.png"), png(9, 9));
        try (CamelContext platformCamel = new DefaultCamelContext()) {
            platformCamel.addComponent("wechat-kefu", platform);
            platformCamel.start();
            Exchange reply = platformCamel.createProducerTemplate().request("wechat-kefu:send?failure=outcome",
                    e -> e.getMessage().setBody("{\"appid\":\"wxauthorizermedia1\",\"touser\":\"oAuthUser\","
                            + "\"msgtype\":\"miniprogrampage\",\"miniprogrampage\":{\"appid\":\"wxmini\","
                            + "\"pagepath\":\"pages/i\",\"thumb_file\":\"card.png\"}}"));
            assertEquals("delivered", reply.getMessage().getHeader(KefuHeaders.OUTCOME),
                    reply.getMessage().getBody(String.class));
        }
        assertEquals(List.of(new WeChatSandbox.Upload("wxauthorizermedia1", "image",
                camel.sandbox().uploads().get(0).mediaId(),
                camel.sandbox().uploads().get(0).bytes())), camel.sandbox().uploads());
        assertEquals("wxauthorizermedia1", camel.sandbox().delivered().get(0).appid());
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
