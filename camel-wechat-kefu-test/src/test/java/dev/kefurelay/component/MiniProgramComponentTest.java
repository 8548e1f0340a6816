package dev.kefurelay.component;

import static dev.kefurelay.component.TwoKindsCamel.MINI;
import static dev.kefurelay.component.TwoKindsCamel.OFFICIAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kefurelay.Samples;
import dev.kefurelay.message.AccountKind;
import dev.kefurelay.message.KefuMessage;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.window.Interaction;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One component sending for an Official Account and a Mini Program at once, over real HTTP to the sandbox, which
 * knows which is which: each account's messages checked by its kind before any call, its media and its fallback
 * outside the window as its kind takes them, its typing on its own path. Where an account's kind comes from:
 * {@link AccountKindSourcesTest}.
 */
class MiniProgramComponentTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final TwoKindsCamel kinds = new TwoKindsCamel();
    private Exchange typing(String appid, String body) {
        return kinds.template().request("wechat-kefu:typing?failure=outcome", e -> {
            e.getMessage().setBody(body);
            e.getMessage().setHeader(KefuHeaders.APP_ID, appid);
        });
    }

    @Test
    void everyMiniProgramTypeReachesWeChatAsItsExactJson() throws Exception {
        for (String type : Samples.miniProgramContents().keySet()) {
            Exchange out = kinds.send(MINI, Samples.miniProgramBody(type));
            assertEquals("delivered", out.getMessage().getHeader(KefuHeaders.OUTCOME), type);
        }
        List<WeChatSandbox.Delivered> delivered = kinds.sandbox().delivered();
        int i = 0;
        for (String type : Samples.miniProgramContents().keySet()) {
            assertEquals(MINI, delivered.get(i).appid());
            assertEquals(JSON.readTree(Samples.miniProgramBody(type)), delivered.get(i++).body(), type);
        }
        assertEquals(AccountKind.MINIPROGRAM, kinds.camel().getComponent("wechat-kefu", WeChatKefuComponent.class)
                .accountKind(MINI));
    }

    /** As for an Official Account: the picture of an image and of a card uploaded first, as images. */
    @Test
    void anImageAndACardPictureAreUploadedForTheMiniProgram() throws Exception {
        kinds.sandbox().requireUploadedMedia(true);
        try {
            byte[] png = MediaFixture.png(16, 16);
            Exchange image = kinds.template().request("wechat-kefu:send?failure=outcome&msgtype=image&touser=oMiniUser",
                    e -> {
                e.getMessage().setBody("{}");
                e.getMessage().setHeader(KefuHeaders.APP_ID, MINI);
                e.getMessage().setHeader(KefuHeaders.MEDIA, png);
            });
            assertEquals("delivered", image.getMessage().getHeader(KefuHeaders.OUTCOME),
                    image.getMessage().getBody(String.class));
            Exchange card = kinds.template().request("wechat-kefu:send?failure=outcome", e -> {
                e.getMessage().setBody("{\"touser\":\"oMiniUser\",\"msgtype\":\"miniprogrampage\",\"miniprogrampage\":"
                        + "{\"title\":\"订单\",\"pagepath\":\"pages/order?id=1\"}}");
                e.getMessage().setHeader(KefuHeaders.APP_ID, MINI);
                e.getMessage().setHeader(KefuHeaders.THUMB_MEDIA, MediaFixture.png(20, 20));
            });
            assertEquals("delivered", card.getMessage().getHeader(KefuHeaders.OUTCOME),
                    card.getMessage().getBody(String.class));
            List<WeChatSandbox.Upload> uploads = kinds.sandbox().uploads();
            assertEquals(List.of("image", "image"), uploads.stream().map(WeChatSandbox.Upload::type).toList());
            assertTrue(uploads.stream().allMatch(u -> u.appid().equals(MINI)));
            assertEquals(uploads.get(0).mediaId(),
                    kinds.sandbox().delivered().get(0).body().path("image").path("media_id")
                    .asText());
            assertEquals(uploads.get(1).mediaId(), kinds.sandbox().delivered().get(1).body().path("miniprogrampage")
                    .path("thumb_media_id").asText());
        } finally {
            kinds.sandbox().requireUploadedMedia(false);
        }
    }

    @Test
    void eachOfficialOnlyTypeIsRefusedForTheMiniProgramWithNoCall() {
        for (String type : KefuMessage.TYPES) {
            if (AccountKind.MINIPROGRAM.fields().types().contains(type)) {
                continue;
            }
            Exchange out = kinds.send(MINI, Samples.wechatBody(type));
            assertEquals("invalid-input", out.getMessage().getHeader(KefuHeaders.REASON), type);
            String errmsg = out.getMessage().getHeader(KefuHeaders.ERRMSG, String.class);
            assertTrue(errmsg.contains("'" + type + "'") && errmsg.contains("miniprogram"), errmsg);
        }
        assertEquals(0, kinds.sandbox().sendCalls(), "WeChat is not called");
        assertEquals(0, kinds.sandbox().tokenFetches(MINI), "not even for a token");
    }

    @Test
    void theOfficialAccountBesideItKeepsItsOwnRules() {
        assertEquals("delivered", kinds.send(OFFICIAL, Samples.wechatBody("news")).getMessage()
                .getHeader(KefuHeaders.OUTCOME));
        Exchange link = kinds.send(OFFICIAL, Samples.miniProgramBody("link"));
        assertEquals("invalid-input", link.getMessage().getHeader(KefuHeaders.REASON));
        assertTrue(link.getMessage().getHeader(KefuHeaders.ERRMSG, String.class)
                .startsWith("msgtype 'link' is not taken by an official account"));
        assertEquals(1, kinds.sandbox().sendCalls());
    }

    @Test
    void typingGoesToEachKindsPathAndWeChatsRefusalsAreReportedAsSuch() {
        String command = "{\"touser\":\"" + Samples.USER + "\",\"command\":\"Typing\",\"businessid\":\"shop-1\"}";
        assertEquals("delivered", typing(MINI, command).getMessage().getHeader(KefuHeaders.OUTCOME));
        assertEquals("delivered", typing(OFFICIAL, "{\"touser\":\"oOfficialUser\",\"command\":\"Typing\"}")
                .getMessage().getHeader(KefuHeaders.OUTCOME));
        // the sandbox answers 48001 on the other kind's path: both arrived where they belong
        assertEquals(List.of(Samples.USER + ":Typing", "oOfficialUser:Typing"), kinds.sandbox().typing());

        Exchange twice = typing(MINI, command);
        assertEquals("failed", twice.getMessage().getHeader(KefuHeaders.OUTCOME));
        assertEquals("wechat-error", twice.getMessage().getHeader(KefuHeaders.REASON));
        assertEquals(45081, twice.getMessage().getHeader(KefuHeaders.ERRCODE, Integer.class));

        kinds.sandbox().enforceWindow(true);
        Exchange stranger = typing(MINI, "{\"touser\":\"oNeverWrote\",\"command\":\"Typing\"}");
        assertEquals(45080, stranger.getMessage().getHeader(KefuHeaders.ERRCODE, Integer.class));
        assertEquals("wechat-error", stranger.getMessage().getHeader(KefuHeaders.REASON));
        kinds.sandbox().users().interacted(MINI, "oNeverWrote", Interaction.ENTER_SESSION);
        assertEquals("delivered", typing(MINI, "{\"touser\":\"oNeverWrote\",\"command\":\"Typing\"}")
                .getMessage().getHeader(KefuHeaders.OUTCOME));

        Exchange official = typing(OFFICIAL, command);
        assertEquals("invalid-input", official.getMessage().getHeader(KefuHeaders.REASON));
        assertEquals(3, kinds.sandbox().typing().size(), "nothing more reached WeChat");
    }

    @Test
    void outsideItsWindowAMiniProgramsMessageGoesAsItsSubscribeMessageAndATemplateFallbackIsRefused()
            throws Exception {
        kinds.sandbox().enforceWindow(true);
        kinds.sandbox().templates().subscribeTemplate(MINI, "SUB-order", "thing1");
        kinds.sandbox().users().consent(MINI, "oMiniBuyer", "SUB-order");
        String text = "\"touser\":\"oMiniBuyer\",\"msgtype\":\"text\",\"text\":{\"content\":\"shipped\"}";

        Exchange sent = kinds.send(MINI, "{\"id\":\"m-1\"," + text + ",\"fallback\":{\"msgtype\":\"subscribe\","
                + "\"subscribe\":{\"template_id\":\"SUB-order\",\"page\":\"pages/order\","
                + "\"data\":{\"thing1\":{\"value\":\"shipped\"}}}}}");
        Exchange template = kinds.send(MINI, "{\"id\":\"m-2\"," + text + ",\"fallback\":{\"msgtype\":\"template\","
                + "\"template\":{\"template_id\":\"T\",\"data\":{\"a\":{\"value\":\"1\"}}}}}");

        assertEquals("subscribe", sent.getMessage().getHeader(KefuHeaders.CHANNEL), sent.getMessage().getBody(String.class));
        assertEquals(1, kinds.sandbox().deliveriesTo(MINI, "oMiniBuyer").size());
        assertEquals("pages/order", kinds.sandbox().deliveriesTo(MINI,
                "oMiniBuyer").get(0).body().path("page").asText());
        assertEquals("invalid-input", template.getMessage().getHeader(KefuHeaders.REASON));
        assertTrue(template.getMessage().getHeader(KefuHeaders.ERRMSG, String.class)
                .startsWith("fallback.msgtype 'template' is not taken by a miniprogram account"));
    }
}
