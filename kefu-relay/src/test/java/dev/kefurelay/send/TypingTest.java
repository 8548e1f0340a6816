package dev.kefurelay.send;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import dev.kefurelay.KefuRelay;
import dev.kefurelay.Samples;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.testkit.KefuSandboxExtension;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** direct:kefu-typing end to end: same token cache and token renewal as kefu-send. */
class TypingTest {

    static final String OTHER = "wxtypingtest000002";
    static final String WRONG = "wxtypingtest000003";

    @RegisterExtension
    static final KefuSandboxExtension wechat = new KefuSandboxExtension()
            .withProperty("kefu.accounts." + OTHER + ".secret", "other-secret")
            .withProperty("kefu.accounts." + WRONG + ".secret", "not-the-secret");
    static WeChatSandbox sandbox;
    static KefuRelay relay;

    @BeforeAll
    static void accounts() {
        sandbox = wechat.sandbox().account(OTHER, "other-secret").account(WRONG, "the-real-secret");
        relay = wechat.relay();
    }

    private Exchange typing(String body, String appid) {
        return relay.template().request(TypingRoutes.TYPING, e -> {
            e.getMessage().setBody(body);
            if (appid != null) {
                e.getMessage().setHeader("KefuAppId", appid);
            }
        });
    }

    @Test
    void typingAndCancelReachWeChatWithOneTokenFetch() {
        Exchange on = typing("{\"touser\":\"oTyping01\",\"command\":\"Typing\"}", null);
        Exchange off = typing("{\"touser\":\"oTyping01\",\"command\":\"CancelTyping\"}", null);
        assertEquals("delivered", on.getMessage().getHeader("KefuOutcome"));
        assertEquals("{\"errcode\":0,\"errmsg\":\"ok\"}", off.getMessage().getBody(String.class));
        assertEquals(List.of("oTyping01:Typing", "oTyping01:CancelTyping"), sandbox.typing());
        assertTrue(sandbox.tokenFetches(KefuSandboxExtension.DEMO_APPID) <= 1, "the cached token serves both");
    }

    @Test
    void theTokenIsSharedWithKefuSend() {
        relay.send(Samples.text("warm the cache"));
        sandbox.reset();
        typing("{\"touser\":\"oTyping02\",\"command\":\"Typing\"}", null);
        assertEquals(0, sandbox.tokenFetches(KefuSandboxExtension.DEMO_APPID));
        assertEquals(List.of("oTyping02:Typing"), sandbox.typing());
    }

    @Test
    void aRevokedTokenIsReplacedOnceAndTheCommandGoesThrough() {
        typing("{\"touser\":\"oTyping03\",\"command\":\"Typing\"}", null);
        sandbox.revokeTokens();
        sandbox.reset();
        Exchange out = typing("{\"touser\":\"oTyping03\",\"command\":\"CancelTyping\"}", null);
        assertEquals("delivered", out.getMessage().getHeader("KefuOutcome"), out.getMessage().getBody(String.class));
        assertEquals(1, sandbox.tokenFetches(KefuSandboxExtension.DEMO_APPID));
        assertEquals(List.of("oTyping03:CancelTyping"), sandbox.typing());
    }

    @Test
    void theKefuAppIdHeaderPicksTheAccount() {
        Exchange out = typing("{\"touser\":\"oTyping04\",\"command\":\"Typing\"}", OTHER);
        assertEquals("delivered", out.getMessage().getHeader("KefuOutcome"));
        assertEquals(1, sandbox.tokenFetches(OTHER));
    }

    @Test
    void aBadCommandFailsAsInvalidInputWithoutCallingWeChat() {
        Exchange out = typing("{\"touser\":\"oTyping05\",\"command\":\"typing\"}", null);
        assertEquals("failed", out.getMessage().getHeader("KefuOutcome"));
        assertEquals("invalid-input", out.getMessage().getHeader("KefuReason"));
        assertTrue(sandbox.typing().isEmpty());
    }

    @Test
    void aRefusedTokenIsAFailedOutcomeWithWeChatsErrcode() {
        Exchange out = typing("{\"touser\":\"oTyping06\",\"command\":\"Typing\"}", WRONG);
        assertEquals("failed", out.getMessage().getHeader("KefuOutcome"));
        assertEquals("wechat-error", out.getMessage().getHeader("KefuReason"));
        assertTrue(out.getMessage().getHeader("KefuErrcode", Integer.class) > 0);
        assertTrue(sandbox.typing().isEmpty());
    }
}
