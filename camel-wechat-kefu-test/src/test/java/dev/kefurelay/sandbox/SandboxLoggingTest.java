package dev.kefurelay.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kefurelay.LogCapture;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the sandbox logs: one readable line per delivery, never a token, secret or whole openid. */
class SandboxLoggingTest extends SandboxTestSupport {

    @Test
    void logsOneReadableLinePerDeliveryAndNeverATokenOrSecret() throws Exception {
        List<String> secrets = new ArrayList<>(List.of(SECRET, COMPONENT_SECRET, FIRST_REFRESH_TOKEN, TICKET));
        List<String> lines;
        try (LogCapture capture = LogCapture.everyLevel()) {
            String client = clientToken();
            String stableToken = token(stable(false));
            sandbox.verifyTicket(TICKET);
            String componentToken = componentToken(TICKET).json().get("component_access_token").asText();
            Reply authorizer = authorizerToken(componentToken, FIRST_REFRESH_TOKEN);
            secrets.addAll(List.of(client, stableToken, componentToken,
                    authorizer.json().get("authorizer_access_token").asText(),
                    authorizer.json().get("authorizer_refresh_token").asText()));

            assertOk(send(client, text(OPENID, "你好 😀")));
            assertOk(send(stableToken, text(OPENID, "x".repeat(200))));
            assertOk(send(authorizer.json().get("authorizer_access_token").asText(), text(OPENID, "line1\nFAKE line")));
            send(client, "{\"touser\":\"" + OPENID + "\",\"secret\":\"" + SECRET + "\"");
            get("/cgi-bin/token?grant_type=client_credential&appid=" + APPID + "&secret=wrong-" + SECRET);
            post("/cgi-bin/stable_token", "{\"appid\":\"" + APPID + "\",\"secret\":\"" + SECRET + "\" broken");
            lines = capture.lines();
        }
        secrets.addAll(sandbox.issuedTokens());

        List<String> deliveries = lines.stream().filter(l -> l.contains("sandbox delivered")).toList();
        assertEquals(3, deliveries.size(), String.join("\n", lines));
        assertTrue(deliveries.get(0).contains("sandbox delivered text to oUpF…(masked) from " + APPID + ": \"你好 😀\""),
                deliveries.get(0));
        assertTrue(deliveries.get(1).contains("\"" + "x".repeat(40) + "…\""), deliveries.get(1));
        assertTrue(deliveries.get(2).contains("line1\\nFAKE line") && deliveries.get(2).contains("from " + AUTHORIZER),
                deliveries.get(2));
        for (String line : lines) {
            assertFalse(line.contains(OPENID), line);
            for (String secret : secrets) {
                assertFalse(line.contains(secret), "a secret or token in the log: " + line);
            }
        }
    }

    @Test
    void templateAndSubscribeMessagesAreLoggedByTemplateIdWithTheOpenidMasked() throws Exception {
        sandbox.templates().template(APPID, "TPL_shipped", "first").subscribeTemplate(APPID, "SUB_reminder", "thing1");
        sandbox.users().consent(APPID, OPENID, "SUB_reminder");
        List<String> lines;
        String token;
        try (LogCapture capture = LogCapture.everyLevel()) {
            token = clientToken();
            assertEquals(0, templateSend(token, "{\"touser\":\"" + OPENID + "\",\"template_id\":\"TPL_shipped\","
                    + "\"data\":{\"first\":{\"value\":\"private detail\"}}}").json().get("errcode").asInt());
            assertOk(bizsend(token, "{\"touser\":\"" + OPENID + "\",\"template_id\":\"SUB_reminder\","
                    + "\"data\":{\"thing1\":{\"value\":\"private detail\"}}}"));
            lines = capture.lines();
        }

        List<String> deliveries = lines.stream().filter(l -> l.contains("sandbox delivered")).toList();
        assertEquals(2, deliveries.size(), String.join("\n", lines));
        assertTrue(deliveries.get(0).contains("sandbox delivered template TPL_shipped to oUpF…(masked) from " + APPID),
                deliveries.get(0));
        assertTrue(deliveries.get(1).contains("sandbox delivered subscribe SUB_reminder to oUpF…(masked) from " + APPID),
                deliveries.get(1));
        for (String line : lines) {
            assertFalse(line.contains(OPENID), line);
            assertFalse(line.contains(token), line);
            assertFalse(line.contains("private detail"), line);
        }
    }
}
