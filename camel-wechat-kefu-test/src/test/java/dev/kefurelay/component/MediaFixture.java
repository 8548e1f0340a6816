package dev.kefurelay.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import javax.imageio.ImageIO;

import dev.kefurelay.sandbox.WeChatSandbox;
import org.apache.camel.Exchange;

/**
 * What the media tests share: real content of each format (made with the JDK, as small as a test needs), the
 * component's media options pointed at a test's folder and loopback servers, a listener counting the media
 * outcomes, and the check of a refusal.
 */
final class MediaFixture {

    private MediaFixture() {
    }

    /** Counts what the component reports of media, as the relay's metrics do. */
    static final class Counting implements OutcomeListener {
        final AtomicInteger uploaded = new AtomicInteger();
        final AtomicInteger reused = new AtomicInteger();
        final List<String> failed = new CopyOnWriteArrayList<>();

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

    /** Media from the folder {@code media}, and from URLs of the test's own loopback servers. */
    static void localMedia(WeChatKefuComponentConfiguration options, Path media, Duration urlTimeout,
            OutcomeListener listener) {
        options.setMediaDir(media.toString());
        options.setMediaUrlTimeout(urlTimeout);
        // the URL sources here are local test servers: not public, so let through by name
        options.setMediaAllowHosts("127.0.0.1");
        options.setOutcomeListener(listener);
    }

    /** The reply refused the message as invalid input with {@code expected} in its error, and no token in it. */
    static void assertRefused(Exchange reply, String expected, WeChatSandbox sandbox) {
        assertEquals("invalid-input", reply.getMessage().getHeader(KefuHeaders.REASON),
                () -> reply.getMessage().getBody(String.class));
        String errmsg = reply.getMessage().getHeader(KefuHeaders.ERRMSG, String.class);
        assertTrue(errmsg.contains(expected), errmsg);
        for (String token : sandbox.issuedTokens()) {
            assertFalse(errmsg.contains(token), "no token in an error");
        }
    }

    /** An image message to {@code oPathUser} naming {@code file} in the media folder. */
    static String imageFile(String file) {
        return "{\"touser\":\"oPathUser\",\"msgtype\":\"image\",\"image\":{\"file\":\"" + file + "\"}}";
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
