package dev.kefurelay.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The access tokens: /cgi-bin/token, /cgi-bin/stable_token, and what revoking or expiring them does. */
class TokenApiTest extends SandboxTestSupport {

    // ---- /cgi-bin/token -------------------------------------------------------------------------------------

    @Test
    void clientCredentialTokenIsIssuedAndOpensCustomSend() throws Exception {
        Reply reply = get("/cgi-bin/token?grant_type=client_credential&appid=" + APPID + "&secret=" + SECRET);

        assertEquals(200, reply.status());
        assertEquals(7200, reply.json().get("expires_in").asInt());
        String token = reply.json().get("access_token").asText();
        assertTrue(token.matches("[A-Za-z0-9_-]{32,}"), token);
        assertOk(send(token, text(OPENID, "hi")));
        assertEquals(APPID, sandbox.delivered().get(0).appid());
        assertEquals(1, sandbox.tokenFetches(APPID));
    }

    @Test
    void clientCredentialRefusesUnknownAppidWrongSecretAndWrongGrantType() throws Exception {
        assertError(40013, "invalid appid",
                get("/cgi-bin/token?grant_type=client_credential&appid=wxunknown&secret=" + SECRET));
        assertError(40125, "invalid appsecret",
                get("/cgi-bin/token?grant_type=client_credential&appid=" + APPID + "&secret=wrong"));
        assertError(40002, "invalid grant_type",
                get("/cgi-bin/token?grant_type=password&appid=" + APPID + "&secret=" + SECRET));
        assertError(41002, "appid missing", get("/cgi-bin/token?grant_type=client_credential&secret=" + SECRET));

        // Failed calls count too: the relay's fetch budget is spent by them in production.
        assertEquals(2, sandbox.tokenFetches(APPID));
        assertEquals(1, sandbox.tokenFetches("wxunknown"));
    }

    @Test
    void aNewClientCredentialTokenLeavesTheOldOneFiveMinutes() throws Exception {
        String first = clientToken();
        String second = clientToken();
        assertNotEquals(first, second);

        clock.advance(Duration.ofMinutes(5).minusSeconds(1));
        assertOk(send(first, text(OPENID, "still in the overlap")));

        clock.advance(Duration.ofSeconds(1));
        assertError(40001, "invalid credential, access_token is invalid or not latest", send(first, text(OPENID, "late")));
        assertOk(send(second, text(OPENID, "current")));
        assertEquals(2, sandbox.deliveredCount());
    }

    @Test
    void aTokenPastItsLifetimeAnswers42001() throws Exception {
        sandbox.tokenLifetime(Duration.ofSeconds(60));
        Reply reply = get("/cgi-bin/token?grant_type=client_credential&appid=" + APPID + "&secret=" + SECRET);
        assertEquals(60, reply.json().get("expires_in").asInt());
        String token = reply.json().get("access_token").asText();

        clock.advance(Duration.ofSeconds(59));
        assertOk(send(token, text(OPENID, "in time")));
        clock.advance(Duration.ofSeconds(1));
        assertError(42001, "access_token expired", send(token, text(OPENID, "too late")));
    }

    // ---- /cgi-bin/stable_token ------------------------------------------------------------------------------

    @Test
    void stableTokenStaysTheSameWhileMoreThanFiveMinutesRemain() throws Exception {
        Reply first = stable(false);
        clock.advance(Duration.ofHours(1));
        Reply again = stable(false);

        assertEquals(token(first), token(again));
        assertEquals(7200, first.json().get("expires_in").asInt());
        assertEquals(3600, again.json().get("expires_in").asInt());

        // At 5 minutes left a new one comes; the old one keeps working until its own expiry (they overlap).
        clock.advance(Duration.ofMinutes(55));
        Reply renewed = stable(false);
        assertNotEquals(token(first), token(renewed));
        assertEquals(7200, renewed.json().get("expires_in").asInt());
        assertOk(send(token(first), text(OPENID, "old, in the overlap")));
        clock.advance(Duration.ofMinutes(5));
        assertError(42001, "access_token expired", send(token(first), text(OPENID, "old, expired")));
        assertOk(send(token(renewed), text(OPENID, "new")));
    }

    @Test
    void stableForceRefreshReplacesTheTokenAndInvalidatesTheOldOneAtOnce() throws Exception {
        String old = token(stable(false));
        String forced = token(stable(true));

        assertNotEquals(old, forced);
        assertError(40001, "invalid credential, access_token is invalid or not latest", send(old, text(OPENID, "x")));
        assertOk(send(forced, text(OPENID, "y")));
        assertEquals(forced, token(stable(false)));
        assertEquals(3, sandbox.tokenFetches(APPID));
    }

    @Test
    void stableTokenRefusesLikeClientCredential() throws Exception {
        assertError(40013, "invalid appid", post("/cgi-bin/stable_token",
                "{\"grant_type\":\"client_credential\",\"appid\":\"wxunknown\",\"secret\":\"" + SECRET + "\"}"));
        assertError(40125, "invalid appsecret", post("/cgi-bin/stable_token",
                "{\"grant_type\":\"client_credential\",\"appid\":\"" + APPID + "\",\"secret\":\"nope\"}"));
        assertError(44002, "empty post data", post("/cgi-bin/stable_token", ""));
        assertError(47001, "data format error", post("/cgi-bin/stable_token", "appid=" + APPID));
        assertEquals(1, sandbox.tokenFetches(APPID));
    }

    @Test
    void stableAndClientCredentialTokensDoNotDisturbEachOther() throws Exception {
        String stableToken = token(stable(false));
        clientToken();
        clientToken();
        clock.advance(Duration.ofMinutes(10));

        assertOk(send(stableToken, text(OPENID, "stable untouched")));
        assertEquals(stableToken, token(stable(false)));
    }

    // ---- revoke / expire ------------------------------------------------------------------------------------

    @Test
    void revokedTokensAnswer40001AndNewOnesWork() throws Exception {
        String client = clientToken();
        String stableToken = token(stable(false));

        sandbox.revokeTokens();

        assertError(40001, "invalid credential, access_token is invalid or not latest", send(client, text(OPENID, "a")));
        assertError(40001, "invalid credential, access_token is invalid or not latest",
                send(stableToken, text(OPENID, "b")));
        assertOk(send(clientToken(), text(OPENID, "c")));
        // Revocation is WeChat-side (e.g. a reset secret): one plain stable_token call recovers, no force_refresh.
        String renewed = token(stable(false));
        assertNotEquals(stableToken, renewed);
        assertOk(send(renewed, text(OPENID, "d")));
        assertEquals(2, sandbox.deliveredCount());
    }

    @Test
    void issuedTokensListsEveryTokenButNoRefreshToken() throws Exception {
        String client = clientToken();
        String stableToken = token(stable(false));
        sandbox.verifyTicket(TICKET);
        String componentToken = componentToken(TICKET).json().get("component_access_token").asText();
        Reply authorizer = authorizerToken(componentToken, FIRST_REFRESH_TOKEN);

        assertEquals(Set.of(client, stableToken, componentToken, authorizer.json().get("authorizer_access_token").asText()),
                Set.copyOf(sandbox.issuedTokens()));
        assertFalse(sandbox.issuedTokens().contains(authorizer.json().get("authorizer_refresh_token").asText()));
    }

    @Test
    void expiredTokensAnswer42001AndStableTokenHandsOutANewOne() throws Exception {
        String client = clientToken();
        String stableToken = token(stable(false));

        sandbox.expireTokens();

        assertError(42001, "access_token expired", send(client, text(OPENID, "a")));
        assertError(42001, "access_token expired", send(stableToken, text(OPENID, "b")));
        String renewed = token(stable(false));
        assertNotEquals(stableToken, renewed);
        assertOk(send(renewed, text(OPENID, "c")));
    }
}
