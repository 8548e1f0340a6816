package dev.kefurelay.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;

import com.sun.net.httpserver.HttpServer;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.testkit.WeChatKefuSandboxExtension;
import dev.kefurelay.token.TokenMode;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Media sources end to end: the component against the sandbox over real HTTP, with real files in a temporary media
 * folder and a local HTTP server (the JDK's) for URL sources. The sandbox checks uploads like WeChat and refuses
 * (40007) any media_id it did not issue to the sending account.
 */
class WeChatKefuMediaTest {

    @RegisterExtension
    static final WeChatKefuSandboxExtension wechat = new WeChatKefuSandboxExtension();
    private static WeChatSandbox sandbox;

    @TempDir
    Path media;
    @TempDir
    Path outside;

    @RegisterExtension
    final SandboxCamel camel = new SandboxCamel(wechat);
    private ProducerTemplate template;
    private HttpServer web;
    private java.util.concurrent.ExecutorService webThreads;
    private final Counting counting = new Counting();

    /** Counts what the component reports of media, as the relay's metrics do. */
    static final class Counting implements OutcomeListener {
        final AtomicInteger uploaded = new AtomicInteger();
        final AtomicInteger reused = new AtomicInteger();
        final List<String> failed = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void outcome(String appid, Outcome outcome, long latencyMs) {
        }

        @Override
        public void mediaUploaded(String appid, String type) {
            uploaded.incrementAndGet();
        }

        @Override
        public void mediaReused(String appid, String type) {
            reused.incrementAndGet();
        }

        @Override
        public void mediaFailed(String appid, String type, String reason) {
            failed.add(type + ":" + reason);
        }
    }

    @BeforeAll
    static void sandbox() {
        sandbox = wechat.sandbox().requireUploadedMedia(true);
    }

    @BeforeEach
    void startCamel() {
        template = camel.start(o -> localMedia(o, media, Duration.ofMillis(1500), counting));
    }

    /** Media from the folder {@code media}, and from URLs of the test's own loopback servers. */
    static void localMedia(WeChatKefuComponentConfiguration options, Path media, Duration urlTimeout,
            OutcomeListener listener) {
        options.setMediaDir(media.toString());
        options.setMediaUrlTimeout(urlTimeout);
        // the URL sources here are local test servers: not public, so let through by name
        options.setMediaAllowHosts("127.0.0.1");
        options.setOutcomeListener(listener);
    }

    @AfterEach
    void stop() throws Exception {
        if (web != null) {
            web.stop(0);
        }
        if (webThreads != null) {
            webThreads.shutdownNow();
        }
    }

    @Test
    void anImageFileSentTo100UsersAtOnceIsUploadedOnce() throws Exception {
        Files.write(media.resolve("promo.jpg"), jpeg(64, 48));
        // every call waits a little, so that the messages come while the one upload is still running
        sandbox.latency(Duration.ofMillis(100));
        List<CompletableFuture<Exchange>> sends = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String body = "{\"touser\":\"oUser" + i + "\",\"msgtype\":\"image\",\"image\":{\"file\":\"promo.jpg\"}}";
            sends.add(template.asyncSend("wechat-kefu:send?failure=outcome", e -> e.getMessage().setBody(body)));
        }
        for (CompletableFuture<Exchange> send : sends) {
            assertEquals("delivered", send.get(30, TimeUnit.SECONDS).getMessage().getHeader(KefuHeaders.OUTCOME),
                    () -> send.join().getMessage().getBody(String.class));
        }
        List<WeChatSandbox.Upload> uploads = sandbox.uploads();
        assertEquals(1, uploads.size());
        assertEquals("image", uploads.get(0).type());
        assertEquals(100, sandbox.deliveredCount());
        Set<String> ids = sandbox.delivered().stream().map(d -> d.body().path("image").path("media_id").asText())
                .collect(Collectors.toSet());
        assertEquals(Set.of(uploads.get(0).mediaId()), ids);
        // the message WeChat got names the id only: the source is the relay's business
        assertEquals(Set.of("media_id"), fieldNames(sandbox.delivered().get(0).body().path("image")));
        assertEquals(1, counting.uploaded.get());
        assertEquals(99, counting.reused.get());
    }

    @Test
    void aUrlSourceIsDownloadedAndUploaded() throws Exception {
        byte[] png = png(32, 32);
        serve("/pics/banner.png", "image/png", png);
        String url = "http://127.0.0.1:" + web.getAddress().getPort() + "/pics/banner.png";
        Exchange reply = send("{\"touser\":\"oUrlUser1\",\"msgtype\":\"image\",\"image\":{\"source_url\":\"" + url
                + "\"}}");
        assertEquals("delivered", reply.getMessage().getHeader(KefuHeaders.OUTCOME),
                reply.getMessage().getBody(String.class));
        assertEquals(1, sandbox.uploads().size());
        assertEquals(png.length, sandbox.uploads().get(0).bytes());
        // the same picture by another way (a file) is the same content: no second upload
        Files.write(media.resolve("same.png"), png);
        assertEquals("delivered", send("{\"touser\":\"oUrlUser2\",\"msgtype\":\"image\",\"image\":{\"file\":"
                + "\"same.png\"}}").getMessage().getHeader(KefuHeaders.OUTCOME));
        assertEquals(1, sandbox.uploads().size());
    }

    @Test
    void aVideoWithItsThumbAndBytesFromTheExchange() throws Exception {
        Files.write(media.resolve("clip.mp4"), mp4(4096));
        Files.write(media.resolve("clip.jpg"), jpeg(16, 16));
        Exchange video = send("{\"touser\":\"oVideoUser\",\"msgtype\":\"video\",\"video\":{\"file\":\"clip.mp4\","
                + "\"thumb_file\":\"clip.jpg\",\"title\":\"新品\"}}");
        assertEquals("delivered", video.getMessage().getHeader(KefuHeaders.OUTCOME),
                video.getMessage().getBody(String.class));
        assertEquals(List.of("video", "thumb"), sandbox.uploads().stream().map(WeChatSandbox.Upload::type).toList());

        byte[] gif = gif();
        Exchange bytes = template.request("wechat-kefu:send?failure=outcome&msgtype=image&touser=oBytesUser", e -> {
            e.getMessage().setBody("{}");
            e.getMessage().setHeader(KefuHeaders.MEDIA, gif);
        });
        assertEquals("delivered", bytes.getMessage().getHeader(KefuHeaders.OUTCOME),
                bytes.getMessage().getBody(String.class));
        assertEquals(3, sandbox.uploads().size());
        assertEquals(gif.length, sandbox.uploads().get(2).bytes());
    }

    @Test
    void tooLargeOrMistypedContentIsRefusedBeforeAnyUploadWithTheLimitNamed() throws Exception {
        Files.write(media.resolve("big-thumb.jpg"), padded(jpeg(8, 8), 70 * 1024));
        Files.write(media.resolve("clip.mp4"), mp4(1024));
        assertRefused("{\"touser\":\"o1\",\"msgtype\":\"video\",\"video\":{\"file\":\"clip.mp4\",\"thumb_file\":"
                + "\"big-thumb.jpg\"}}", "video.thumb_file 'big-thumb.jpg' has 71680 bytes: WeChat takes thumb media "
                + "of at most 64 KB");
        // named .jpg, but a text file by its content
        Files.writeString(media.resolve("fake.jpg"), "this is no picture at all");
        assertRefused("{\"touser\":\"o1\",\"msgtype\":\"image\",\"image\":{\"file\":\"fake.jpg\"}}",
                "image.file 'fake.jpg' is not a known media format by its content: WeChat takes image media as PNG, "
                        + "JPEG, GIF");
        // a real picture, but not what a voice message takes
        Files.write(media.resolve("voice.amr"), png(4, 4));
        assertRefused("{\"touser\":\"o1\",\"msgtype\":\"voice\",\"voice\":{\"file\":\"voice.amr\"}}",
                "voice.file 'voice.amr' is PNG by its content: WeChat takes voice media as AMR, MP3");
        assertEquals(List.of(), sandbox.uploads());
        assertEquals(0, sandbox.sendCalls());
    }

    @Test
    void aRememberedIdWeChatForgotIsUploadedAgainOnceAndTheMessageDelivered() throws Exception {
        Files.write(media.resolve("promo.png"), png(20, 20));
        String body = "{\"touser\":\"oForgot1\",\"msgtype\":\"image\",\"image\":{\"file\":\"promo.png\"}}";
        assertEquals("delivered", send(body).getMessage().getHeader(KefuHeaders.OUTCOME));
        sandbox.forgetMedia();
        Exchange again = send(body);
        assertEquals("delivered", again.getMessage().getHeader(KefuHeaders.OUTCOME),
                again.getMessage().getBody(String.class));
        List<WeChatSandbox.Upload> uploads = sandbox.uploads();
        assertEquals(2, uploads.size());
        assertEquals(3, sandbox.sendCalls()); // delivered, refused with 40007, delivered
        assertEquals(uploads.get(1).mediaId(), sandbox.delivered().get(1).body().path("image").path("media_id")
                .asText());
        // and the new id is the one remembered now
        assertEquals("delivered", send(body).getMessage().getHeader(KefuHeaders.OUTCOME));
        assertEquals(2, sandbox.uploads().size());
    }

    @Test
    void pathsLeavingTheMediaFolderAreRefused() throws Exception {
        Path secret = Files.writeString(outside.resolve("secret.jpg"), "not for WeChat");
        Files.write(outside.resolve("real.jpg"), jpeg(4, 4));
        Files.createSymbolicLink(media.resolve("link.jpg"), outside.resolve("real.jpg"));
        Files.createDirectories(media.resolve("sub"));
        assertRefused(image("../../etc/passwd"), "image.file '../../etc/passwd' leaves the media folder ('..' is "
                + "not allowed)");
        assertRefused(image("sub/../../" + outside.getFileName() + "/real.jpg"), "leaves the media folder");
        assertRefused(image(secret.toString()), "is an absolute path: give a path relative to the media folder");
        assertRefused(image("link.jpg"), "image.file 'link.jpg' leaves the media folder (a symbolic link points "
                + "outside)");
        assertRefused(image("missing.jpg"), "image.file 'missing.jpg' is not in the media folder");
        // a name no file system takes is the message's fault: invalid-input naming the field, not an "unexpected" error
        assertRefused(image("bad\\u0000name.jpg"), "image.file 'bad\\u0000name.jpg' is not a valid path");
        Exchange badFolder = template.request("wechat-kefu:send?failure=outcome", e -> {
            e.setProperty(KefuHeaders.MEDIA_DIR_PROPERTY, media + "/bad\u0000dir");
            e.getMessage().setBody(image("alias.jpg"));
        });
        assertEquals("invalid-input", badFolder.getMessage().getHeader(KefuHeaders.REASON));
        assertTrue(badFolder.getMessage().getHeader(KefuHeaders.ERRMSG, String.class).contains("exchange property "
                + "KefuMediaDir"), badFolder.getMessage().getHeader(KefuHeaders.ERRMSG, String.class));
        assertEquals(List.of(), sandbox.uploads());
        // a link that stays inside is fine
        Files.write(media.resolve("sub/inside.jpg"), jpeg(4, 4));
        Files.createSymbolicLink(media.resolve("alias.jpg"), media.resolve("sub/inside.jpg"));
        assertEquals("delivered", send(image("alias.jpg")).getMessage().getHeader(KefuHeaders.OUTCOME));
    }

    @Test
    void aSlowOrTooLargeUrlIsCutOffAtTheLimits() throws Exception {
        CountDownLatch released = new CountDownLatch(1);
        web = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        // its own threads: the silent handler holds one while the next request comes
        webThreads = java.util.concurrent.Executors.newCachedThreadPool();
        web.setExecutor(webThreads);
        web.createContext("/slow.png", exchange -> {
            // the headers and a start, then a byte now and then: never finished within the timeout
            exchange.getResponseHeaders().set("Content-Type", "image/png");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(png(4, 4), 0, 16);
                out.flush();
                while (!released.await(200, TimeUnit.MILLISECONDS)) {
                    out.write(0);
                    out.flush();
                }
            } catch (InterruptedException | IOException e) {
                // the client hung up: what the test wants
            }
        });
        web.createContext("/silent.png", exchange -> {
            // not even the headers until the test is over
            try {
                released.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        AtomicInteger sentBytes = new AtomicInteger();
        web.createContext("/huge.png", exchange -> {
            // chunked, no length: the limit can only be found while streaming
            exchange.getResponseHeaders().set("Content-Type", "image/png");
            exchange.sendResponseHeaders(200, 0);
            byte[] chunk = padded(png(4, 4), 64 * 1024);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 1024; i++) { // 64 MB if nobody stops it
                    out.write(chunk);
                    sentBytes.addAndGet(chunk.length);
                }
            } catch (IOException e) {
                // cut off by the client
            }
        });
        web.createContext("/page.html", exchange -> {
            byte[] html = "<html>not found</html>".getBytes();
            exchange.getResponseHeaders().set("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, html.length);
            exchange.getResponseBody().write(html);
            exchange.close();
        });
        web.createContext("/to-ftp.png", exchange -> {
            exchange.getResponseHeaders().set("Location", "ftp://127.0.0.1/x.png");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        web.start();
        String base = "http://127.0.0.1:" + web.getAddress().getPort();
        try {
            long started = System.nanoTime();
            assertRefused(url(base + "/slow.png"), "could not be fetched (no whole answer with HTTP 200 within "
                    + "1500 ms)");
            assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(10), "cut off near the timeout");
            assertRefused(url(base + "/silent.png"), "could not be fetched (no whole answer with HTTP 200 within "
                    + "1500 ms)");
            assertRefused(url(base + "/huge.png"), "has more than 10485760 bytes: WeChat takes image media of at "
                    + "most 10 MB");
            assertTrue(sentBytes.get() < 32 * 1024 * 1024, "the download stopped at the limit, not at the end: "
                    + sentBytes.get() + " bytes sent");
            assertRefused(url(base + "/page.html"), "has content type 'text/html': a image needs image/*");
            assertRefused(url(base + "/to-ftp.png"), "redirects to a ftp: URL: only http(s) is followed");
            assertRefused(url("file:///etc/passwd"), "field 'image.source_url' must be an http(s) URL");
        } finally {
            released.countDown();
        }
        assertEquals(List.of(), sandbox.uploads());
    }

    @Test
    void uploadErrorsFollowThePolicy() throws Exception {
        Files.write(media.resolve("a.png"), png(6, 6));
        sandbox.failNextUpload(-1, 2);
        assertEquals("delivered", send(image("a.png")).getMessage().getHeader(KefuHeaders.OUTCOME));
        assertEquals(2, sandbox.uploadFailures());
        assertEquals(1, sandbox.uploads().size());

        Files.write(media.resolve("b.png"), png(7, 7));
        sandbox.failNextUpload(45001, 1);
        Exchange refused = send(image("b.png"));
        assertEquals("wechat-error", refused.getMessage().getHeader(KefuHeaders.REASON));
        assertEquals(45001, refused.getMessage().getHeader(KefuHeaders.ERRCODE));
        assertEquals("media/upload of image.file 'b.png': media size out of limit",
                refused.getMessage().getHeader(KefuHeaders.ERRMSG));
        assertEquals(1, sandbox.deliveredCount());
        assertTrue(counting.failed.contains("image:wechat-error"), counting.failed.toString());
    }

    @Test
    void aMessageNamesOneSourcePerId() {
        assertRefused("{\"touser\":\"o1\",\"msgtype\":\"image\",\"image\":{\"media_id\":\"M\",\"file\":\"a.png\"}}",
                "image names more than one of media_id, file and source_url: give one");
        assertRefused("{\"touser\":\"o1\",\"msgtype\":\"image\",\"image\":{}}", "image.media_id is missing: give "
                + "media_id, file (a file in the media folder) or source_url (an http(s) URL)");
        assertRefused("{\"touser\":\"o1\",\"msgtype\":\"mpnews\",\"mpnews\":{\"file\":\"a.png\"}}",
                "unknown field 'mpnews.file'");
    }

    @Test
    void inComponentModeTheAuthorizerUploadsWithItsOwnToken(@TempDir Path store) throws Exception {
        sandbox.component("wxplatformmedia01", "platform-media-secret").authorizer("wxauthorizermedia1",
                "refresh@@@media-first");
        sandbox.verifyTicket("ticket@@@media");
        WeChatKefuComponent platform = new WeChatKefuComponent();
        WeChatKefuComponentConfiguration platformOptions = platform.getConfiguration();
        platformOptions.setBaseUrl(sandbox.baseUrl());
        platformOptions.setTokenMode(TokenMode.COMPONENT);
        platformOptions.setComponentAppid("wxplatformmedia01");
        platformOptions.setComponentSecret("platform-media-secret");
        platformOptions.setComponentTicket("ticket@@@media");
        platformOptions.setAuthorizers(java.util.Map.of("wxauthorizermedia1", "refresh@@@media-first"));
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
        assertEquals(List.of(new WeChatSandbox.Upload("wxauthorizermedia1", "image", sandbox.uploads().get(0).mediaId(),
                sandbox.uploads().get(0).bytes())), sandbox.uploads());
        assertEquals("wxauthorizermedia1", sandbox.delivered().get(0).appid());
    }

    private Exchange send(String body) {
        return template.request("wechat-kefu:send?failure=outcome", e -> e.getMessage().setBody(body));
    }

    private void assertRefused(String body, String expected) {
        Exchange reply = send(body);
        assertEquals("invalid-input", reply.getMessage().getHeader(KefuHeaders.REASON),
                () -> reply.getMessage().getBody(String.class));
        String errmsg = reply.getMessage().getHeader(KefuHeaders.ERRMSG, String.class);
        assertTrue(errmsg.contains(expected), errmsg);
        for (String token : sandbox.issuedTokens()) {
            assertFalse(errmsg.contains(token), "no token in an error");
        }
    }

    private static String image(String file) {
        return "{\"touser\":\"oPathUser\",\"msgtype\":\"image\",\"image\":{\"file\":\"" + file + "\"}}";
    }

    private static String url(String url) {
        return "{\"touser\":\"oUrlUser\",\"msgtype\":\"image\",\"image\":{\"source_url\":\"" + url + "\"}}";
    }

    private void serve(String path, String type, byte[] content) throws IOException {
        web = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        web.createContext(path, exchange -> {
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(200, content.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(content);
            }
        });
        web.start();
    }

    private static Set<String> fieldNames(com.fasterxml.jackson.databind.JsonNode node) {
        Set<String> names = new java.util.HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static byte[] jpeg(int w, int h) throws IOException {
        return image(w, h, "jpg");
    }

    static byte[] png(int w, int h) throws IOException {
        return image(w, h, "png");
    }

    static byte[] gif() throws IOException {
        return image(5, 5, "gif");
    }

    private static byte[] image(int w, int h, String format) throws IOException {
        BufferedImage picture = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        picture.setRGB(0, 0, 0xC0FFEE);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(picture, format, out);
        return out.toByteArray();
    }

    /** The start of an MP4: a box size and "ftyp isom", then filler. */
    static byte[] mp4(int size) {
        byte[] b = new byte[size];
        byte[] head = {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'};
        System.arraycopy(head, 0, b, 0, head.length);
        return b;
    }

    /** The content followed by zeros up to {@code size}: same format by its first bytes, larger. */
    static byte[] padded(byte[] content, int size) {
        byte[] b = new byte[size];
        System.arraycopy(content, 0, b, 0, content.length);
        return b;
    }
}
