package dev.kefurelay.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;

import dev.kefurelay.push.PushReceivers;
import dev.kefurelay.token.OptionNames;
import dev.kefurelay.token.TokenMode;
import org.junit.jupiter.api.Test;

/** Which keys a push endpoint opens pushes with, from the component's and the endpoint's options; no Camel. */
class PushKeysTest {

    static final String KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

    private final WeChatKefuComponentConfiguration c = new WeChatKefuComponentConfiguration();
    private final WeChatKefuConfiguration endpoint = new WeChatKefuConfiguration();

    private PushReceivers receivers() {
        return PushKeys.receivers(c, endpoint, OptionNames.CAMEL);
    }

    private String refused() {
        return assertThrows(IllegalArgumentException.class, this::receivers).getMessage();
    }

    @Test
    void theDefaultAccountsFurtherAccountsAndTheEndpointsKeysEachOpenTheirAccountOnly() {
        c.setAppid("wxdefault");
        c.setPushToken("t-default");
        c.setPushSecretKey(KEY);
        c.getAccountPushTokens().put("wxsecond", "t-second");
        endpoint.setAppid("wxthird");
        endpoint.setPushToken("t-third");
        PushReceivers r = receivers();
        assertFalse(r.component());
        assertEquals(Set.of("wxdefault", "wxsecond", "wxthird"), r.appids());
        assertTrue(r.account("wxdefault").orElseThrow().crypto().encrypted());
        assertFalse(r.account("wxsecond").orElseThrow().crypto().encrypted(), "no key: plaintext mode");
        assertTrue(r.account("wxother").isEmpty());
        assertTrue(r.platform().isEmpty());
        assertFalse(r.toString().contains("t-default") || r.toString().contains(KEY));
    }

    @Test
    void inComponentModeThePlatformsKeysOpenEveryAuthorizer() {
        c.setTokenMode(TokenMode.COMPONENT);
        c.setComponentAppid("wxplatform");
        c.setPushToken("t-platform");
        PushReceivers r = receivers();
        assertEquals("wxplatform", r.platform().orElseThrow().crypto().receiveId());
        assertEquals("wxplatform", r.account("wxanyauthorizer").orElseThrow().crypto().receiveId());
        assertTrue(r.account("../etc").isEmpty());
    }

    @Test
    void whatIsMissingOrWrongIsNamedAndNoValueQuoted() {
        assertTrue(refused().contains("camel.component.wechat-kefu.push-token"));
        c.setPushToken("t");
        assertTrue(refused().contains("set camel.component.wechat-kefu.appid"));
        c.setAppid("wxdefault");
        c.setPushSecretKey("not-a-key-value");
        String badKey = refused();
        assertTrue(badKey.contains("camel.component.wechat-kefu.push-secret-key is not an EncodingAESKey"), badKey);
        assertFalse(badKey.contains("not-a-key-value"));
        c.setPushSecretKey(KEY);
        c.getAccountPushSecretKeys().put("wxsecond", KEY);
        assertTrue(refused().contains("account-push-secret-keys[wxsecond] is set without "
                + "camel.component.wechat-kefu.account-push-tokens[wxsecond]"));
        c.getAccountPushSecretKeys().clear();
        endpoint.setPushSecretKey(KEY);
        assertTrue(refused().contains("pushSecretKey is set without pushToken"));
        endpoint.setPushSecretKey(null);
        c.setPushMaxAge(Duration.ofSeconds(-1));
        assertTrue(refused().contains("push-max-age must be 0 (off) or longer"));
        c.setPushMaxAge(Duration.ZERO);
        c.setPushMaxSize(0);
        assertTrue(refused().contains("push-max-size must be more than 0"));
        c.setTokenMode(TokenMode.COMPONENT);
        assertTrue(refused().contains("camel.component.wechat-kefu.component-appid"));
    }
}
