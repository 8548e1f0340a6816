package dev.kefurelay.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A third-party platform: the component token from the verify ticket, and its authorizers' tokens. */
class ThirdPartyPlatformTest extends SandboxTestSupport {

    @Test
    void componentAndAuthorizerTokensWithRefreshTokenRotation() throws Exception {
        sandbox.verifyTicket(TICKET);
        Reply component = componentToken(TICKET);
        assertEquals(7200, component.json().get("expires_in").asInt());
        String componentToken = component.json().get("component_access_token").asText();

        Reply first = authorizerToken(componentToken, FIRST_REFRESH_TOKEN);
        String secondRefreshToken = first.json().get("authorizer_refresh_token").asText();
        assertNotEquals(FIRST_REFRESH_TOKEN, secondRefreshToken);
        assertEquals(secondRefreshToken, sandbox.currentRefreshToken(AUTHORIZER));
        assertEquals(7200, first.json().get("expires_in").asInt());

        assertOk(send(first.json().get("authorizer_access_token").asText(), text(OPENID, "from the authorizer")));
        assertEquals(AUTHORIZER, sandbox.delivered().get(0).appid());

        assertError(61023, "refresh_token is invalid", authorizerToken(componentToken, FIRST_REFRESH_TOKEN));
        Reply second = authorizerToken(componentToken, secondRefreshToken);
        assertNotEquals(secondRefreshToken, second.json().get("authorizer_refresh_token").asText());
        assertEquals(second.json().get("authorizer_refresh_token").asText(), sandbox.currentRefreshToken(AUTHORIZER));

        assertEquals(1, sandbox.tokenFetches(COMPONENT));
        assertEquals(3, sandbox.tokenFetches(AUTHORIZER));
    }

    @Test
    void componentTokenNeedsTheRightSecretAndTheLatestTicket() throws Exception {
        assertError(61006, "component ticket is invalid", componentToken(TICKET));

        sandbox.verifyTicket(TICKET);
        assertError(40125, "invalid appsecret", post("/cgi-bin/component/api_component_token",
                "{\"component_appid\":\"" + COMPONENT + "\",\"component_appsecret\":\"wrong\","
                        + "\"component_verify_ticket\":\"" + TICKET + "\"}"));
        assertError(61006, "component ticket is invalid", post("/cgi-bin/component/api_component_token",
                "{\"component_appid\":\"" + COMPONENT + "\",\"component_appsecret\":\"" + COMPONENT_SECRET + "\"}"));

        sandbox.verifyTicket("ticket@@@second");
        assertError(61006, "component ticket is invalid", componentToken(TICKET));
        assertTrue(componentToken("ticket@@@second").json().has("component_access_token"));
        assertEquals(5, sandbox.tokenFetches(COMPONENT));
    }

    @Test
    void authorizerTokenNeedsAValidComponentTokenAndAKnownAuthorizer() throws Exception {
        sandbox.verifyTicket(TICKET);
        String componentToken = componentToken(TICKET).json().get("component_access_token").asText();
        String body = "{\"component_appid\":\"" + COMPONENT + "\",\"authorizer_appid\":\"" + AUTHORIZER
                + "\",\"authorizer_refresh_token\":\"" + FIRST_REFRESH_TOKEN + "\"}";

        assertError(41001, "access_token missing", post("/cgi-bin/component/api_authorizer_token", body));
        assertError(40001, "invalid credential, access_token is invalid or not latest",
                post("/cgi-bin/component/api_authorizer_token?component_access_token=bogus", body));
        assertError(40001, "invalid credential, access_token is invalid or not latest",
                post("/cgi-bin/component/api_authorizer_token?component_access_token=" + clientToken(), body));
        assertError(61023, "refresh_token is invalid", post("/cgi-bin/component/api_authorizer_token"
                + "?component_access_token=" + componentToken, body.replace(AUTHORIZER, "wxnotauthorized")));
        assertEquals(FIRST_REFRESH_TOKEN, sandbox.currentRefreshToken(AUTHORIZER));
        assertNull(sandbox.currentRefreshToken("wxnotauthorized"));

        sandbox.expireTokens();
        assertError(42001, "access_token expired", authorizerToken(componentToken, FIRST_REFRESH_TOKEN));
    }
}
