package dev.kefurelay.wecom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kefurelay.WeComSamples;
import java.nio.file.Path;
import java.util.List;

import dev.kefurelay.message.InvalidMessageException;
import dev.kefurelay.message.MediaInput;
import dev.kefurelay.message.MediaRef;
import dev.kefurelay.token.OptionNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class WeComMessageReaderTest {

    private static final String CORP = "wwdefaultcorp0001";
    private final WeComMessageReader reader = new WeComMessageReader(CORP, OptionNames.CAMEL);

    static java.util.Set<String> types() {
        return WeComSamples.contents().keySet();
    }

    @ParameterizedTest
    @MethodSource("types")
    void everyTypeBecomesWeComsBodyWithTheMsgidInWeComsOrder(String msgtype) {
        WeComMessage m = reader.read(WeComSamples.message(msgtype).replaceFirst("\\{", "{\"id\":\"o-1\","));
        assertEquals(WeComSamples.wecomBody(WeComSamples.OPEN_KFID, WeComSamples.CUSTOMER, msgtype, "o-1"),
                m.payload());
        assertEquals(CORP, m.corpid());
        assertEquals(WeComSamples.OPEN_KFID, m.openKfid());
        assertEquals(WeComSamples.CUSTOMER, m.touser());
        assertEquals("o-1", m.id());
        assertEquals("wecom:" + WeComSamples.OPEN_KFID, m.claimAccount());
    }

    @Test
    void theEnvelopeNamesTheCorpAndAMsgidMayStandInForTheId() {
        WeComMessage m = reader.read(WeComSamples.text("wk1", "wm1", null, "x")
                .replaceFirst("\\{", "{\"corpid\":\"wwother\",\"msgid\":\"given-1\","));
        assertEquals("wwother", m.corpid());
        assertEquals("given-1", m.id());
        assertEquals("given-1", m.msgid());
        assertFalse(m.payload().contains("corpid"), m.payload());
    }

    @Test
    void aMessageWithoutIdHasNoneButAMsgidMadeOnce() {
        WeComMessage m = reader.read(WeComSamples.text("wk1", "wm1", null, "x"));
        assertNull(m.id());
        assertTrue(m.payload().contains("\"msgid\":\"" + m.msgid() + "\""), m.payload());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"touser\":\"wm1\",\"msgtype\":\"text\",\"open_kfid\":\"\",\"text\":{\"content\":\"x\"}}|open_kfid is missing",
        "{\"touser\":\"wm1\",\"open_kfid\":\"wk1\",\"msgtype\":\"text\",\"text\":{\"content\":1}}|field 'text.content' must be a string",
        "{\"touser\":\"wm1\",\"open_kfid\":\"wk1\",\"msgtype\":\"text\",\"text\":{\"content\":\"x\",\"menu_id\":\"1\"}}|unknown field 'text.menu_id'",
        "{\"touser\":\"wm1\",\"open_kfid\":\"wk1\",\"msgtype\":\"text\",\"text\":{\"content\":\"x\"},\"image\":{}}|unknown field 'image'",
        "{\"touser\":\"wm1\",\"open_kfid\":\"wk1\",\"msgtype\":\"image\"}|image is missing",
        "{\"touser\":\"wm1\",\"open_kfid\":\"wk1\",\"msgtype\":\"msgmenu\",\"msgmenu\":{\"list\":[]}}|msgmenu.list is missing",
        "{\"touser\":\"wm1\",\"open_kfid\":\"wk1\",\"msgtype\":\"msgmenu\",\"msgmenu\":{\"list\":[{\"type\":\"buy\"}]}}|msgmenu.list[0].type 'buy' is not one of [click, view, miniprogram, text]",
        "{\"touser\":\"wm1\",\"open_kfid\":\"wk1\",\"msgtype\":\"msgmenu\",\"msgmenu\":{\"list\":[{\"type\":\"text\",\"text\":{\"content\":\"a\",\"no_newline\":\"1\"}}]}}|field 'msgmenu.list[0].text.no_newline' must be a whole number",
        "{\"touser\":\"wm1\",\"open_kfid\":\"wk1\",\"msgtype\":\"location\",\"location\":{\"latitude\":\"23\",\"longitude\":1}}|field 'location.latitude' must be a number",
        "{\"touser\":\"wm1\",\"open_kfid\":\"wk1\",\"msgtype\":\"location\",\"location\":{\"latitude\":23,\"longitude\":-180.5}}|location.longitude is -180.5: it must lie between -180 and 180",
        "{\"touser\":\"wm1\",\"open_kfid\":\"wk1\",\"msgtype\":\"miniprogram\",\"miniprogram\":{\"appid\":\"wx1\",\"thumb_media_id\":\"m\"}}|miniprogram.pagepath is missing",
        "{\"id\":1.5,\"touser\":\"wm1\",\"open_kfid\":\"wk1\",\"msgtype\":\"text\",\"text\":{\"content\":\"x\"}}|field 'id' must be a string or a whole number",
        "[1]|the message must be a JSON object",
        "{\"touser\":\"wm1\",\"open_kfid\":\"wk1\",\"msgtype\":\"text\",\"text\":{\"content\":\"x\"},\"fallback\":{\"msgtype\":\"template\"}}|field 'fallback' does not belong in a WeCom message: WeCom 微信客服 has no template or subscribe message",
    })
    void aProblemIsNamedByItsField(String body, String expected) {
        assertRefused(body, expected);
    }

    @Test
    void aMessageWithACodeAnswersAnEventWithoutItsKfAccountInTheBody() {
        WeComMessage m = reader.read("{\"id\":\"w-1\",\"open_kfid\":\"wk1\",\"code\":\"CODE1\",\"msgtype\":\"text\","
                + "\"text\":{\"content\":\"您好\"}}");
        assertEquals("/cgi-bin/kf/send_msg_on_event", m.path());
        assertEquals("{\"code\":\"CODE1\",\"msgid\":\"w-1\",\"msgtype\":\"text\",\"text\":{\"content\":\"您好\"}}",
                m.payload());
        assertEquals("wk1", m.openKfid());
        assertNull(m.touser());
        assertEquals("/cgi-bin/kf/send_msg", reader.read(WeComSamples.message("text")).path());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"open_kfid\":\"wk1\",\"code\":\"C\",\"msgtype\":\"image\",\"image\":{\"media_id\":\"m\"}}|msgtype 'image' cannot answer an event: send_msg_on_event takes [text, msgmenu]",
        "{\"open_kfid\":\"wk1\",\"code\":\"C\",\"touser\":\"wm1\",\"msgtype\":\"text\",\"text\":{\"content\":\"x\"}}|unknown field 'touser' in an answer to an event",
        "{\"open_kfid\":\"wk1\",\"code\":\"\",\"msgtype\":\"text\",\"text\":{\"content\":\"x\"}}|code is missing",
        "{\"open_kfid\":\"wk1\",\"code\":\"C\",\"msgtype\":\"text\",\"text\":{}}|text.content is missing",
    })
    void anAnswerToAnEventIsCheckedLikeAnyMessage(String body, String expected) {
        assertRefused(body, expected);
    }

    @Test
    void mediaSourcesStandInForIdsAndNeverReachWeCom() {
        WeComMessage link = reader.read("{\"id\":\"m-1\",\"touser\":\"wm1\",\"open_kfid\":\"wk1\",\"msgtype\":\"link\","
                + "\"link\":{\"title\":\"t\",\"url\":\"https://example.com\",\"thumb_file\":\"card.png\"}}",
                new MediaInput(Path.of("/srv/inbox"), null, null));
        assertEquals(List.of(new MediaRef("link", "thumb_media_id", "image", MediaRef.Origin.FILE, "card.png",
                Path.of("/srv/inbox"), null)), link.media());
        assertEquals("{\"touser\":\"wm1\",\"open_kfid\":\"wk1\",\"msgid\":\"m-1\",\"msgtype\":\"link\",\"link\":"
                + "{\"title\":\"t\",\"url\":\"https://example.com\"}}", link.payload());

        WeComMessage file = reader.read(WeComSamples.message("file").replace("{\"media_id\":\"MEDIA_FILE\"}",
                "{\"source_url\":\"https://cdn.example.com/a.pdf\"}"));
        assertEquals("file:URL:https://cdn.example.com/a.pdf", file.media().stream().map(r -> r.uploadType() + ":"
                + r.origin() + ":" + r.location()).findFirst().orElseThrow());

        byte[] amr = "#!AMR\n".getBytes();
        WeComMessage voice = reader.read(WeComSamples.message("voice").replace("{\"media_id\":\"MEDIA_VOICE\"}", "{}"),
                new MediaInput(null, amr, null));
        assertEquals(MediaRef.Origin.EXCHANGE, voice.media().get(0).origin());
        // an id given is sent as it is, whatever the exchange holds
        assertEquals(List.of(), reader.read(WeComSamples.message("voice"), new MediaInput(null, amr, null)).media());
        assertEquals(List.of(), reader.read(WeComSamples.message("image")).media());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"touser\":\"wm1\",\"open_kfid\":\"wk1\",\"msgtype\":\"image\",\"image\":{}}|image.media_id is missing: give media_id, file (a file in the media folder) or source_url (an http(s) URL)",
        "{\"touser\":\"wm1\",\"open_kfid\":\"wk1\",\"msgtype\":\"miniprogram\",\"miniprogram\":{\"appid\":\"wx1\",\"pagepath\":\"p\"}}|miniprogram.thumb_media_id is missing: give thumb_media_id, thumb_file",
        "{\"touser\":\"wm1\",\"open_kfid\":\"wk1\",\"msgtype\":\"file\",\"file\":{\"file\":\"a.pdf\",\"source_url\":\"https://x/a.pdf\"}}|file names more than one of media_id, file and source_url: give one",
        "{\"touser\":\"wm1\",\"open_kfid\":\"wk1\",\"msgtype\":\"video\",\"video\":{\"source_url\":\"ftp://x/a.mp4\"}}|field 'video.source_url' must be an http(s) URL",
        "{\"touser\":\"wm1\",\"open_kfid\":\"wk1\",\"msgtype\":\"video\",\"video\":{\"file\":\"a.mp4\",\"thumb_file\":\"a.jpg\"}}|unknown field 'video.thumb_file'",
        "{\"touser\":\"wm1\",\"open_kfid\":\"wk1\",\"msgtype\":\"image\",\"image\":{\"file\":7}}|field 'image.file' must be a non-empty string",
        "{\"open_kfid\":\"wk1\",\"code\":\"C\",\"msgtype\":\"text\",\"text\":{\"content\":\"x\",\"file\":\"a.png\"}}|unknown field 'text.file'",
    })
    void aSourceIsCheckedAsForOfficialAccounts(String body, String expected) {
        assertRefused(body, expected);
    }

    /** The reader refuses the body with a message that starts by naming the field. */
    private void assertRefused(String body, String expected) {
        InvalidMessageException e = assertThrows(InvalidMessageException.class, () -> reader.read(body));
        assertTrue(e.getMessage().startsWith(expected), e.getMessage() + " should start with: " + expected);
    }

    @Test
    void withoutADefaultCorpAMessageMustNameOne() {
        InvalidMessageException e = assertThrows(InvalidMessageException.class, () -> new WeComMessageReader(null,
                OptionNames.CAMEL).read(WeComSamples.text("wk1", "wm1", null, "x")));
        assertEquals("corpid is missing: name the WeCom corp in the message's 'corpid', or set "
                + "camel.component.wechat-kefu.wecom-corpid", e.getMessage());
    }

    @Test
    void onlyAnObjectWithOpenKfidAtItsTopIsForWeCom() {
        assertTrue(WeComMessageReader.isWeCom(WeComSamples.message("text")));
        assertFalse(WeComMessageReader.isWeCom("{\"touser\":\"o1\",\"msgtype\":\"text\",\"text\":{\"content\":"
                + "\"\\\"open_kfid\\\"\"}}"));
        assertFalse(WeComMessageReader.isWeCom("{\"touser\":\"o1\",\"text\":{\"open_kfid\":\"wk1\"}}"));
        assertFalse(WeComMessageReader.isWeCom("\"open_kfid\" is not JSON {"));
        assertFalse(WeComMessageReader.isWeCom(null));
    }
}
