package dev.kefurelay.component;

import static dev.kefurelay.component.MediaFixture.imageFile;
import static dev.kefurelay.component.MediaFixture.png;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.testkit.WeChatKefuSandboxExtension;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * When an upload fails or WeChat forgets an id, end to end against the sandbox over real HTTP with real files: upload
 * errors follow the error policy (retried or refused naming the call), and a remembered media_id WeChat refuses
 * (40007) is uploaded again once and the message delivered.
 */
class WeChatKefuMediaReuploadTest {

    @RegisterExtension
    static final WeChatKefuSandboxExtension wechat = new WeChatKefuSandboxExtension();
    @TempDir
    Path media;
    @RegisterExtension
    final MediaCamel camel = MediaCamel.weChat(wechat, () -> media);

    @Test
    void aRememberedIdWeChatForgotIsUploadedAgainOnceAndTheMessageDelivered() throws Exception {
        Files.write(media.resolve("promo.png"), png(20, 20));
        String body = "{\"touser\":\"oForgot1\",\"msgtype\":\"image\",\"image\":{\"file\":\"promo.png\"}}";
        assertEquals("delivered", camel.send(body).getMessage().getHeader(KefuHeaders.OUTCOME));
        camel.sandbox().forgetMedia();
        Exchange again = camel.send(body);
        assertEquals("delivered", again.getMessage().getHeader(KefuHeaders.OUTCOME),
                again.getMessage().getBody(String.class));
        List<WeChatSandbox.Upload> uploads = camel.sandbox().uploads();
        assertEquals(2, uploads.size());
        assertEquals(3, camel.sandbox().sendCalls()); // delivered, refused with 40007, delivered
        assertEquals(uploads.get(1).mediaId(), camel.sandbox().delivered().get(1).body().path("image").path("media_id")
                .asText());
        // and the new id is the one remembered now
        assertEquals("delivered", camel.send(body).getMessage().getHeader(KefuHeaders.OUTCOME));
        assertEquals(2, camel.sandbox().uploads().size());
    }

    @Test
    void uploadErrorsFollowThePolicy() throws Exception {
        Files.write(media.resolve("a.png"), png(6, 6));
        camel.sandbox().failNextUpload(-1, 2);
        assertEquals("delivered", camel.send(imageFile("a.png")).getMessage().getHeader(KefuHeaders.OUTCOME));
        assertEquals(2, camel.sandbox().uploadFailures());
        assertEquals(1, camel.sandbox().uploads().size());

        Files.write(media.resolve("b.png"), png(7, 7));
        camel.sandbox().failNextUpload(45001, 1);
        Exchange refused = camel.send(imageFile("b.png"));
        assertEquals("wechat-error", refused.getMessage().getHeader(KefuHeaders.REASON));
        assertEquals(45001, refused.getMessage().getHeader(KefuHeaders.ERRCODE));
        assertEquals("media/upload of image.file 'b.png': media size out of limit",
                refused.getMessage().getHeader(KefuHeaders.ERRMSG));
        assertEquals(1, camel.sandbox().deliveredCount());
        assertTrue(camel.counting().failed.contains("image:wechat-error"), camel.counting().failed.toString());
    }
}
