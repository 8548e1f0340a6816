package dev.kefurelay.sandbox;

import dev.kefurelay.window.Interaction;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The sandbox's HTTP buttons for its users' world, for a person with curl: the same as the Java controls. */
class WorldControlTest extends SandboxTestSupport {

    @Test
    void theHttpControlOpensWindowsMovesTheClockAndSwitchesEnforcement() throws Exception {
        Reply enforce = post("/sandbox/window/enforce?on=true", "");
        assertEquals(200, enforce.status(), enforce.body());
        String token = clientToken();
        assertError(45015, WindowTest.CLOSED, send(token, text(OPENID, "before")));

        Reply opened = post("/sandbox/window/open?appid=" + APPID + "&openid=" + OPENID + "&interaction=menu_click", "");
        assertEquals(true, opened.json().get("open").asBoolean(), opened.body());
        assertEquals("menu_click", opened.json().get("interaction").asText());
        assertEquals(3, opened.json().get("places_left").asInt());
        assertOk(send(token, text(OPENID, "after the button")));
        assertEquals(2, get("/sandbox/window?appid=" + APPID + "&openid=" + OPENID).json().get("places_left").asInt());

        Reply advanced = post("/sandbox/clock/advance?by=PT1M", "");
        assertEquals(clock.instant().plus(Duration.ofMinutes(1)).toString(), advanced.json().get("now").asText());
        assertFalse(get("/sandbox/window?appid=" + APPID + "&openid=" + OPENID).json().get("open").asBoolean());
        assertError(45015, WindowTest.CLOSED, send(token, text(OPENID, "a minute later")));

        Reply missing = post("/sandbox/window/open?appid=" + APPID, "");
        assertEquals(400, missing.status());
        assertTrue(missing.body().contains("missing query parameter 'openid'"), missing.body());
        Reply bad = post("/sandbox/window/open?appid=" + APPID + "&openid=" + OPENID + "&interaction=wave", "");
        assertEquals(400, bad.status());
        assertTrue(bad.body().contains("interaction must be one of [message, menu_click, follow, scan, enter_session]"),
                bad.body());
        assertEquals(400, post("/sandbox/clock/advance?by=48h", "").status());
        assertEquals(400, post("/sandbox/window/enforce?on=yes", "").status());
    }

    @Test
    void theHttpControlAddsTemplatesGrantsConsentAndListsWhatReachedAUser() throws Exception {
        String token = clientToken();
        Reply added = post("/sandbox/template?appid=" + APPID + "&template_id=TPL_1&keys=first,remark", "");
        assertEquals("[\"first\",\"remark\"]", added.json().get("keys").toString(), added.body());
        assertEquals(200, post("/sandbox/subscribe-template?appid=" + APPID + "&template_id=SUB_1&keys=thing1", "").status());
        Reply consent = post("/sandbox/consent?appid=" + APPID + "&openid=" + OPENID + "&template_id=SUB_1&times=2", "");
        assertEquals(2, consent.json().get("consents_left").asInt(), consent.body());

        Reply template = templateSend(token, "{\"touser\":\"" + OPENID + "\",\"template_id\":\"TPL_1\",\"data\":"
                + "{\"first\":{\"value\":\"a\"},\"remark\":{\"value\":\"b\"}}}");
        assertOk(bizsend(token, "{\"touser\":\"" + OPENID + "\",\"template_id\":\"SUB_1\",\"data\":"
                + "{\"thing1\":{\"value\":\"c\"}}}"));
        assertOk(send(token, text(OPENID, "d")));

        Reply listed = get("/sandbox/deliveries?appid=" + APPID + "&openid=" + OPENID);
        assertEquals(3, listed.json().get("deliveries").size(), listed.body());
        assertEquals("template", listed.json().at("/deliveries/0/channel").asText());
        assertEquals("TPL_1", listed.json().at("/deliveries/0/template_id").asText());
        assertEquals(template.json().get("msgid").asLong(), listed.json().at("/deliveries/0/msgid").asLong());
        assertEquals("subscribe", listed.json().at("/deliveries/1/channel").asText());
        assertEquals("custom", listed.json().at("/deliveries/2/channel").asText());
        assertEquals("text", listed.json().at("/deliveries/2/msgtype").asText());
        assertEquals("d", listed.json().at("/deliveries/2/body/text/content").asText());

        assertEquals(400, post("/sandbox/consent?appid=" + APPID + "&openid=" + OPENID + "&template_id=SUB_1&times=0", "")
                .status());
        assertEquals(400, post("/sandbox/template?appid=" + APPID + "&template_id=TPL_2", "").status());
    }

    @Test
    void theHttpControlPushesEventsAndTemplateReportsToTheRelay() throws Exception {
        assertEquals(409, post("/sandbox/push/event?appid=" + APPID + "&openid=" + OPENID + "&event=CLICK", "").status());
        sandbox.templates().template(APPID, "TPL_1", "first");
        try (PushSink relay = new PushSink(APPID)) {
            sandbox.pushTo(relay.url(), PushSink.TOKEN, PushSink.AES_KEY, APPID);

            Reply clicked = post("/sandbox/push/event?appid=" + APPID + "&openid=" + OPENID + "&event=CLICK&key=HELP", "");
            assertEquals("success", clicked.json().get("relay_answer").asText(), clicked.body());
            assertEquals(Interaction.MENU_CLICK, sandbox.users().window(APPID, OPENID).orElseThrow().opener());
            assertEquals("HELP", relay.received().get(0).field("EventKey"));

            long msgid = templateSend(clientToken(), "{\"touser\":\"" + OPENID + "\",\"template_id\":\"TPL_1\","
                    + "\"data\":{\"first\":{\"value\":\"a\"}}}").json().get("msgid").asLong();
            Reply finished = post("/sandbox/push/template-finished?msgid=" + msgid + "&status=failed:%20system%20failed", "");
            assertEquals(200, finished.json().get("relay_status").asInt(), finished.body());
            assertEquals(String.valueOf(msgid), relay.received().get(1).field("MsgID"));
            assertEquals("failed: system failed", relay.received().get(1).field("Status"));

            assertEquals(400, post("/sandbox/push/template-finished?msgid=12", "").status());
            assertEquals(400, post("/sandbox/push/template-finished?msgid=x", "").status());
        }
    }
}
