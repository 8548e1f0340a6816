package dev.kefurelay.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kefurelay.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A Mini Program's messages, read by its kind's table: its four types exactly as WeChat takes them, every type only
 * an Official Account takes refused naming the type and the kind, and the other way round.
 */
class MiniProgramMessageTest {

    static final String MINI = "wxminiprogram00001";
    static final String OFFICIAL = "wxofficial0000001";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MessageReader reader = new MessageReader(OFFICIAL,
            new AccountKinds(Map.of(MINI, AccountKind.MINIPROGRAM)));

    static Stream<String> miniProgramTypes() {
        return Samples.miniProgramContents().keySet().stream();
    }

    static Stream<String> officialOnlyTypes() {
        return KefuMessage.TYPES.stream().filter(t -> !AccountKind.MINIPROGRAM.fields().types().contains(t));
    }

    private OutboundMessage asMiniProgram(String body) {
        return reader.read(body, MINI, null);
    }

    @ParameterizedTest
    @MethodSource("miniProgramTypes")
    void everyMiniProgramTypeIsWeChatsExactJson(String msgtype) throws Exception {
        OutboundMessage m = asMiniProgram(Samples.miniProgramBody(msgtype));
        assertEquals(MINI, m.appid());
        assertEquals(JSON.readTree(Samples.miniProgramBody(msgtype)), JSON.readTree(m.body()));
        assertEquals(JSON.readTree(Samples.miniProgramBody(msgtype)), JSON.readTree(m.message().toJson()));
    }

    @Test
    void theSamplesCoverEveryTypeOfTheKind() {
        assertEquals(AccountKind.MINIPROGRAM.fields().types(), List.copyOf(Samples.miniProgramContents().keySet()));
    }

    @ParameterizedTest
    @MethodSource("officialOnlyTypes")
    void anOfficialOnlyTypeIsRefusedNamingTheTypeAndTheKind(String msgtype) {
        InvalidMessageException e = assertThrows(InvalidMessageException.class,
                () -> asMiniProgram(Samples.wechatBody(msgtype)));
        assertEquals("msgtype '" + msgtype + "' is not taken by a miniprogram account: a miniprogram account takes "
                + "text, image, link, miniprogrampage", e.getMessage());
    }

    @Test
    void anOfficialAccountRefusesLinkNamingItsKind() {
        InvalidMessageException e = assertThrows(InvalidMessageException.class,
                () -> reader.read(Samples.miniProgramBody("link"), OFFICIAL, null));
        assertTrue(e.getMessage().startsWith("msgtype 'link' is not taken by an official account: "), e.getMessage());
    }

    @Test
    void aTypeNoKindTakesIsUnknownAsBefore() {
        String body = "{\"touser\":\"oU\",\"msgtype\":\"telegram\",\"telegram\":{}}";
        assertEquals("msgtype 'telegram' is not one of [text, image, link, miniprogrampage]",
                assertThrows(InvalidMessageException.class, () -> asMiniProgram(body)).getMessage());
    }

    @Test
    void theKindIsTheSendingAccountsWhoeverNamesIt() {
        String inBody = "{\"appid\":\"" + MINI + "\"," + Samples.miniProgramBody("link").substring(1);
        assertEquals(MINI, reader.read(inBody, null, null).appid());
        // the transport's appid wins, and with it that account's kind
        assertThrows(InvalidMessageException.class, () -> reader.read(inBody, OFFICIAL, null));
        MessageReader miniByDefault = new MessageReader(MINI, reader.kinds());
        assertEquals(MINI, miniByDefault.read(Samples.miniProgramBody("link"), null, null).appid());
    }

    @ParameterizedTest
    @ValueSource(strings = {"title", "description", "url", "thumb_url"})
    void everyFieldOfALinkIsRequired(String field) throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode body =
                (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(Samples.miniProgramBody("link"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) body.get("link")).remove(field);
        assertEquals("link." + field + " is missing",
                assertThrows(InvalidMessageException.class, () -> asMiniProgram(body.toString())).getMessage());
    }

    @Test
    void aMiniProgramCardHasNoAppidAndNeedsItsTitle() {
        String withAppid = "{\"touser\":\"oU\",\"msgtype\":\"miniprogrampage\",\"miniprogrampage\":{\"title\":\"t\","
                + "\"appid\":\"wxother\",\"pagepath\":\"p\",\"thumb_media_id\":\"M\"}}";
        assertEquals("field 'miniprogrampage.appid' is not taken by a miniprogram account",
                assertThrows(InvalidMessageException.class, () -> asMiniProgram(withAppid)).getMessage());
        String noTitle = "{\"touser\":\"oU\",\"msgtype\":\"miniprogrampage\",\"miniprogrampage\":{\"pagepath\":\"p\","
                + "\"thumb_media_id\":\"M\"}}";
        assertEquals("miniprogrampage.title is missing",
                assertThrows(InvalidMessageException.class, () -> asMiniProgram(noTitle)).getMessage());
        // an Official Account's card is the other way round: appid required
        assertTrue(assertThrows(InvalidMessageException.class, () -> reader.read(noTitle, OFFICIAL, null))
                .getMessage().startsWith("miniprogrampage.appid is missing"));
    }

    @Test
    void businessidIsPassedThroughForAMiniProgramOnly() throws Exception {
        String body = "{\"touser\":\"oU\",\"msgtype\":\"text\",\"text\":{\"content\":\"hi\"},\"businessid\":\"shop-7\"}";
        OutboundMessage m = asMiniProgram(body);
        assertEquals("shop-7", m.message().businessid());
        assertEquals(JSON.readTree(body), JSON.readTree(m.body()));
        assertEquals("field 'businessid' does not belong in a text message",
                assertThrows(InvalidMessageException.class, () -> reader.read(body, OFFICIAL, null)).getMessage());
    }

    @Test
    void customserviceIsAnOfficialAccountsKey() {
        String body = "{\"touser\":\"oU\",\"msgtype\":\"text\",\"text\":{\"content\":\"hi\"},"
                + "\"customservice\":{\"kf_account\":\"a@b\"}}";
        assertEquals("field 'customservice' does not belong in a text message of a miniprogram account",
                assertThrows(InvalidMessageException.class, () -> asMiniProgram(body)).getMessage());
    }

    @Test
    void mediaSourcesStandInForTheImageAndTheCardPicture() {
        OutboundMessage image = asMiniProgram("{\"touser\":\"oU\",\"msgtype\":\"image\",\"image\":{\"file\":\"a.png\"}}");
        assertEquals(List.of("media_id"), image.media().stream().map(MediaRef::field).toList());
        assertNull(image.body(), "made per attempt, once the upload's id is known");
        OutboundMessage card = asMiniProgram("{\"touser\":\"oU\",\"msgtype\":\"miniprogrampage\",\"miniprogrampage\":"
                + "{\"title\":\"t\",\"pagepath\":\"p\",\"thumb_source_url\":\"https://example.com/c.jpg\"}}");
        assertEquals("image", card.media().get(0).uploadType(), "a card's picture is an image upload");
        assertEquals("thumb_media_id", card.media().get(0).field());
    }

    @Test
    void plainTextGoesToEitherKind() {
        assertEquals("text", reader.read("您好", MINI, "oU").message().msgtype());
    }

    @Test
    void typingOfAMiniProgramGoesToTheBusinessPathWithItsBusinessid() {
        TypingCommand c = reader.readTyping("{\"touser\":\"oU\",\"command\":\"Typing\",\"businessid\":\"b1\"}", MINI);
        assertEquals("/cgi-bin/message/custom/business/typing", c.path());
        assertEquals("{\"touser\":\"oU\",\"command\":\"Typing\",\"businessid\":\"b1\"}", c.toJson());
        TypingCommand official = reader.readTyping("{\"touser\":\"oU\",\"command\":\"Typing\"}", null);
        assertEquals("/cgi-bin/message/custom/typing", official.path());
        assertEquals("businessid is for miniprogram accounts: " + OFFICIAL + " is official",
                assertThrows(InvalidMessageException.class, () -> reader.readTyping(
                        "{\"touser\":\"oU\",\"command\":\"Typing\",\"businessid\":\"b1\"}", null)).getMessage());
    }

    /**
     * The SDKs' Mini Program bodies (WxJava's WxMaKefuMessageTest: link, miniprogrampage without appid; a text
     * with aimsgcontext): each taken for a Mini Program as WeChat's exact JSON.
     */
    @Test
    void theSdkFixturesMiniProgramBodiesAreTakenUnchanged() throws Exception {
        Path fixture = Stream.of("../shared", "../../shared").map(b -> Path.of(b, "fixtures", "kefu-messages.jsonl"))
                .filter(Files::isRegularFile).findFirst().orElse(null);
        assumeTrue(fixture != null, "../shared/fixtures/kefu-messages.jsonl is absent: skipped");
        List<JsonNode> lines = Files.readAllLines(fixture, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank())
                .map(MiniProgramMessageTest::tree).filter(l -> "miniprogram".equals(l.path("api").asText())).toList();
        assertTrue(lines.size() >= 2, "the fixture has Mini Program bodies: " + lines.size());
        for (JsonNode line : lines) {
            String body = line.get("expected_body").toString();
            assertEquals(line.get("expected_body"), JSON.readTree(asMiniProgram(body).body()), line.path("source").asText());
        }
    }

    private static JsonNode tree(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException("a fixture line is not JSON", e);
        }
    }
}
