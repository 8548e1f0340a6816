package dev.kefurelay.component;

import static dev.kefurelay.component.MediaFixture.png;
import static dev.kefurelay.component.WeComMediaFixture.CORPID;
import static dev.kefurelay.component.WeComMediaFixture.CUSTOMER;
import static dev.kefurelay.component.WeComMediaFixture.KF;
import static dev.kefurelay.component.WeComMediaFixture.assertDelivered;
import static dev.kefurelay.component.WeComMediaFixture.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kefurelay.testkit.WeChatKefuSandboxExtension;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * When a WeCom 微信客服 upload cannot go as planned, end to end against the sandbox's WeCom over real HTTP with real
 * files: a token that expired before the upload is renewed once, upload failures follow the error policy, an id WeCom
 * forgot is uploaded again, and a refused id whose message's msgid is used already is an unknown outcome.
 */
class WeComMediaReuploadTest {

    @RegisterExtension
    static final WeChatKefuSandboxExtension wechat = new WeChatKefuSandboxExtension();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path media;
    @RegisterExtension
    final MediaCamel camel = MediaCamel.weCom(wechat, () -> media);
    private final HttpClient http = HttpClient.newHttpClient();

    private Exchange send(String msgtype, String content) {
        return WeComMediaFixture.send(camel.template(), msgtype, content);
    }

    @Test
    void aTokenThatExpiredBeforeTheUploadIsRenewedOnce() throws Exception {
        assertDelivered(camel.template().request("wechat-kefu:send?failure=outcome", e -> e.getMessage().setBody(
                message("text", "{\"content\":\"your order\"}"))));
        assertEquals(1, camel.wecom().tokenFetches(CORPID));
        camel.sandbox().expireTokens();
        Files.write(media.resolve("receipt.png"), png(10, 14));
        assertDelivered(send("image", "{\"file\":\"receipt.png\"}"));
        assertEquals(2, camel.wecom().tokenFetches(CORPID));
        assertEquals(1, camel.wecom().uploads());
        assertEquals(2, camel.wecom().sendCalls());
    }

    @Test
    void uploadFailuresFollowThePolicyAndAnIdWeComForgotIsUploadedAgain() throws Exception {
        Files.write(media.resolve("a.png"), png(6, 6));
        camel.wecom().failNextUpload(-1, 2);
        assertDelivered(send("image", "{\"file\":\"a.png\"}"));
        assertEquals(1, camel.wecom().uploads());

        Files.write(media.resolve("b.png"), png(7, 7));
        camel.wecom().failNextUpload(45001, 1);
        Exchange refused = send("image", "{\"file\":\"b.png\"}");
        assertEquals("wechat-error", refused.getMessage().getHeader(KefuHeaders.REASON));
        assertEquals(45001, refused.getMessage().getHeader(KefuHeaders.ERRCODE));
        String errmsg = refused.getMessage().getHeader(KefuHeaders.ERRMSG, String.class);
        assertTrue(errmsg.startsWith("media/upload of image.file 'b.png': media size out of limit"), errmsg);
        assertTrue(camel.counting().failed.contains("image:wechat-error"), camel.counting().failed.toString());

        // WeCom forgets its uploads before the component does: 40007 once, then a new upload and the message
        camel.wecom().forgetMedia();
        int calls = camel.wecom().sendCalls();
        assertDelivered(send("image", "{\"file\":\"a.png\"}"));
        assertEquals(2, camel.wecom().uploads());
        assertEquals(calls + 2, camel.wecom().sendCalls());
        assertEquals(camel.wecom().uploaded().get(1).mediaId(),
                camel.wecom().sent().get(1).body().path("image").path("media_id")
                .asText());
    }

    @Test
    void aMsgidUsedOnceWeComRefusedARememberedIdIsAnUnknownOutcome() throws Exception {
        Files.write(media.resolve("a.png"), png(6, 6));
        assertDelivered(send("image", "{\"file\":\"a.png\"}"));
        camel.wecom().forgetMedia();
        // the msgid the next message carries is used already at WeCom: as by an earlier send of its id whose outcome
        // was unknown, or as a WeCom that keeps the msgid of a call it refused (40007) would answer the call again
        String token = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(camel.sandbox().baseUrl()
                + "/cgi-bin/gettoken?corpid=" + CORPID + "&corpsecret=" + WeChatKefuSandboxExtension.CORP_SECRET))
                .build(), HttpResponse.BodyHandlers.ofString()).body()).get("access_token").asText();
        HttpResponse<String> taken = http.send(HttpRequest.newBuilder(URI.create(camel.sandbox().baseUrl()
                + "/cgi-bin/kf/send_msg?access_token=" + token)).POST(HttpRequest.BodyPublishers.ofString(
                "{\"touser\":\"" + CUSTOMER + "\",\"open_kfid\":\"" + KF + "\",\"msgid\":\"offer-9\","
                        + "\"msgtype\":\"text\",\"text\":{\"content\":\"hi\"}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(0, JSON.readTree(taken.body()).get("errcode").asInt(), taken.body());

        Exchange ended = camel.template().request("wechat-kefu:send?failure=outcome", e -> e.getMessage().setBody(
                message("image", "{\"file\":\"a.png\"}").replaceFirst("\\{", "{\"id\":\"offer-9\",")));

        // WeCom refused the remembered id, the content was uploaded again, and the call made again got "msgid used":
        // neither delivered, nor a duplicate, nor a failure
        assertEquals("unknown-outcome", ended.getMessage().getHeader(KefuHeaders.REASON),
                () -> ended.getMessage().getBody(String.class));
        String errmsg = ended.getMessage().getHeader(KefuHeaders.ERRMSG, String.class);
        assertTrue(errmsg.contains("WeCom refused a remembered media_id (40007)"), errmsg);
        assertEquals(2, camel.wecom().uploads());
        assertEquals(List.of("image", "text"), camel.wecom().sent().stream().map(d -> d.msgtype()).toList());
    }
}
