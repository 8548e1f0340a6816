package dev.kefurelay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.kefurelay.message.AccountKind;
import org.junit.jupiter.api.Test;

class KefuSettingsTest {

    @Test
    void defaultsFollowTheContract() {
        KefuSettings s = KefuSettings.of(Map.of("kefu.appid", "wxa", "kefu.secret", "s"));
        assertEquals(List.of("https://api.weixin.qq.com"), s.baseUrls());
        assertEquals("stable", s.tokenMode().wireName());
        assertEquals(Duration.ofSeconds(60), s.duration("kefu.token.refresh-ahead"));
        assertEquals(5, s.integer("kefu.retry.max"));
        assertEquals(Duration.ofSeconds(1), s.duration("kefu.retry.delay"));
        assertEquals(Duration.ofSeconds(30), s.duration("kefu.retry.max-delay"));
        assertEquals(16L * 1024 * 1024, s.bytes("kefu.inbox.max-size"));
        assertEquals("kefu.outbound", s.get("kefu.jms.queue"));
        assertEquals("kefu.outbound.dlq", s.get("kefu.jms.dlq"));
        assertEquals(8, s.integer("kefu.jms.concurrency"));
        assertEquals(16, s.integer("kefu.jms.batch-size"));
        assertEquals("", s.get("kefu.media.allow-hosts"));
    }

    @Test
    void theStoreIsLocalOrPostgreSqlAndTheBrokerModeNeedsNoCredentials() {
        KefuSettings local = KefuSettings.of(Map.of("kefu.appid", "wxa", "kefu.secret", "s"));
        assertEquals("", local.get("kefu.store.url"));
        assertEquals(Duration.ofSeconds(10), local.duration("kefu.store.lock-timeout"));
        ConfigException mysql = assertThrows(ConfigException.class, () -> KefuSettings.of(Map.of("kefu.appid", "wxa",
                "kefu.secret", "s", "kefu.store.url", "jdbc:mysql://db/kefu?password=hunter2")));
        assertTrue(mysql.getMessage().contains("kefu.store.url") && !mysql.getMessage().contains("hunter2"),
                mysql.getMessage());
        KefuSettings shared = KefuSettings.of(Map.of("kefu.appid", "wxa", "kefu.secret", "s",
                "kefu.store.url", "jdbc:postgresql://db:5432/kefu", "kefu.store.password", "pw-secret"));
        assertFalse(shared.toString().contains("pw-secret"), shared.toString());
        assertTrue(KefuSettings.of(Map.of("kefu.mode", "broker")).brokerOnly());
        ConfigException mode = assertThrows(ConfigException.class, () -> KefuSettings.of(Map.of("kefu.mode", "both")));
        assertTrue(mode.getMessage().contains("kefu.mode"), mode.getMessage());
    }

    @Test
    void missingCredentialsNameTheProperties() {
        ConfigException e = assertThrows(ConfigException.class, () -> KefuSettings.of(Map.of()));
        assertTrue(e.getMessage().contains("kefu.appid, kefu.secret"), e.getMessage());
        assertTrue(e.getMessage().contains("KEFU_APPID"), e.getMessage());
        ConfigException component = assertThrows(ConfigException.class,
                () -> KefuSettings.of(Map.of("kefu.token.mode", "component", "kefu.component.appid", "wxc")));
        assertTrue(component.getMessage().contains("kefu.component.secret"), component.getMessage());
        assertFalse(component.getMessage().contains("kefu.component.appid,"), component.getMessage());
    }

    @Test
    void theSandboxNeedsNoCredentials() {
        KefuSettings s = KefuSettings.of(Map.of("kefu.sandbox", "true"));
        assertEquals(SandboxDefaults.APPID, s.defaultAppid());
        assertEquals(Map.of(SandboxDefaults.APPID, SandboxDefaults.SECRET), s.accountSecrets());
    }

    @Test
    void theSandboxInComponentModeHasADemoPlatformAndNoDefaultAccount() {
        KefuSettings s = KefuSettings.of(Map.of("kefu.sandbox", "true", "kefu.token.mode", "component"));
        assertEquals(SandboxDefaults.COMPONENT_APPID, s.get("kefu.component.appid"));
        assertEquals(SandboxDefaults.TICKET, s.get("kefu.component.ticket"));
        assertEquals(Map.of(SandboxDefaults.AUTHORIZER_APPID, SandboxDefaults.REFRESH_TOKEN),
                s.refreshTokenSeeds());
        assertEquals(null, s.defaultAppid(), "every message names its authorizer");
        assertFalse(s.toString().contains(SandboxDefaults.COMPONENT_SECRET));
        assertFalse(s.toString().contains(SandboxDefaults.REFRESH_TOKEN));
        assertFalse(s.toString().contains(SandboxDefaults.TICKET));
    }

    @Test
    void furtherAccountsAreCollected() {
        KefuSettings s = KefuSettings.of(Map.of("kefu.appid", "wxa", "kefu.secret", "sa",
                "kefu.accounts.wxb.secret", "sb"));
        assertEquals(Map.of("wxa", "sa", "wxb", "sb"), s.accountSecrets());
    }

    @Test
    void eachAccountHasAKindOfficialByDefaultInEveryTokenMode() {
        KefuSettings s = KefuSettings.of(Map.of("kefu.appid", "wxa", "kefu.secret", "sa", "kefu.accounts.wxmini.secret",
                "sm", "kefu.accounts.wxmini.kind", "miniprogram", "kefu.accounts.wxa.kind", "official"));
        assertEquals(Map.of("wxmini", AccountKind.MINIPROGRAM, "wxa", AccountKind.OFFICIAL), s.accountKinds());
        assertEquals(AccountKind.OFFICIAL, s.accounts().kind("wxnamednowhere"));
        assertTrue(s.accounts().toString().contains("wxmini=miniprogram"), s.accounts().toString());
        // the default account's kind is its appid's key, as for every account
        assertEquals(AccountKind.MINIPROGRAM, KefuSettings.of(Map.of("kefu.appid", "wxa", "kefu.secret", "sa",
                "kefu.accounts.wxa.kind", "miniprogram")).accounts().kind("wxa"));
        // an authorizer's kind: any appid, one that authorizes at run time too
        KefuSettings platform = KefuSettings.of(Map.of("kefu.token.mode", "component", "kefu.component.appid", "wxc",
                "kefu.component.secret", "sc", "kefu.accounts.wxlater.kind", "miniprogram"));
        assertEquals(AccountKind.MINIPROGRAM, platform.accounts().kind("wxlater"));
    }

    @Test
    void aWrongKindOrOneForNoAccountIsNamedByItsKey() {
        Map<String, String> ok = Map.of("kefu.appid", "wxa", "kefu.secret", "s");
        assertMessage(with(ok, "kefu.accounts.wxa.kind", "mini-program"),
                "kefu.accounts.wxa.kind: 'mini-program' is not one of official, miniprogram");
        assertMessage(with(ok, "kefu.accounts.wxnobody.kind", "miniprogram"), "kefu.accounts.wxnobody.kind is set, "
                + "but wxnobody is no account of this relay: set kefu.accounts.wxnobody.secret too");
        assertEquals("kefu.accounts.wxabc.kind", ConfigSources.environmentKey("KEFU_ACCOUNTS_WXABC_KIND"));
        assertEquals("kefu.accounts.wxb.kind", ComponentOptions.RELAY_KEYS.name("account-kinds", "wxb"));
    }

    @Test
    void typosAndBadValuesStopTheStartNamingTheKey() {
        Map<String, String> ok = Map.of("kefu.appid", "wxa", "kefu.secret", "s");
        assertMessage(with(ok, "kefu.retyr.max", "3"), "kefu.retyr.max");
        assertMessage(with(ok, "kefu.retry.delay", "-1s"), "kefu.retry.delay");
        assertMessage(with(ok, "kefu.retry.delay", "soon"), "kefu.retry.delay");
        assertMessage(with(ok, "kefu.token.mode", "magic"), "kefu.token.mode");
        assertMessage(with(ok, "kefu.wechat.base-url", "ftp://x"), "kefu.wechat.base-url");
        assertMessage(with(ok, "kefu.jms.concurrency", "0"), "kefu.jms.concurrency");
        assertMessage(with(ok, "kefu.jms.batch-size", "0"), "kefu.jms.batch-size");
        assertMessage(with(ok, "kefu.inbox.max-size", "big"), "kefu.inbox.max-size");
        assertMessage(with(ok, "kefu.sandbox", "yes"), "kefu.sandbox");
        assertMessage(with(ok, "kefu.media.allow-hosts", "10.1.0.0/16,http://media.internal/"),
                "kefu.media.allow-hosts: 'http://media.internal/' is neither a host name nor an address range");
        assertMessage(with(ok, "kefu.media.allow-hosts", "10.1.0.0/99"), "kefu.media.allow-hosts: '10.1.0.0/99'");
        KefuSettings.of(with(ok, "kefu.media.allow-hosts", "10.1.0.0/16, media.internal,fd00::/8"));
        assertMessage(with(ok, "kefu.media.url-timeout", "0s"), "kefu.media.url-timeout=0s must be longer than 0");
    }

    @Test
    void secretsStayOutOfMessagesAndToString() {
        KefuSettings s = KefuSettings.of(Map.of("kefu.appid", "wxa", "kefu.secret", "TOP-SECRET",
                "kefu.broker.password", "BROKER-PW", "kefu.component.ticket", "TICKET-VALUE"));
        assertFalse(s.toString().contains("TOP-SECRET"));
        assertFalse(s.toString().contains("BROKER-PW"));
        assertFalse(s.toString().contains("TICKET-VALUE"));
        assertFalse(s.printable().containsValue("TOP-SECRET"));
    }

    @Test
    void environmentNamesMapToKeys() {
        assertEquals(java.util.Set.of("kefu.wechat.base-url", "kefu.accounts.wxabc.secret",
                "kefu.authorizers.wxdef.refresh-token", "kefu.accounts.wxabc.push-token",
                "kefu.accounts.wxabc.push-aes-key", "kefu.retry.max"), ConfigSources.environmentKeys(
                        java.util.Set.of("KEFU_WECHAT_BASE_URL", "KEFU_ACCOUNTS_WXABC_SECRET",
                                "KEFU_ACCOUNTS_WXABC_PUSH_TOKEN", "KEFU_ACCOUNTS_WXABC_PUSH_AES_KEY",
                                "KEFU_AUTHORIZERS_WXDEF_REFRESH_TOKEN", "KEFU.RETRY.MAX", "PATH")));
        // Camel reads none of these for any key
        for (String name : List.of("KEFU_RETRY_MAXX", "kefu_retry_max", "Kefu_Retry_Max", "KEFU_ACCOUNTS_WXABC_SECRETS",
                "KEFU_ACCOUNTS__SECRET", "KEFU_AUTHORIZERS__REFRESH_TOKEN")) {
            assertEquals(null, ConfigSources.environmentKey(name), name);
        }
    }

    /** A -D or variable meant as a setting that Camel would not read for one stops the start, named as given. */
    @Test
    void aSystemPropertyOrVariableThatLooksLikeASettingButIsNoneIsRefusedByName() throws Exception {
        try (org.apache.camel.impl.DefaultCamelContext camel = new org.apache.camel.impl.DefaultCamelContext()) {
            org.apache.camel.spi.PropertiesComponent pc = camel.getPropertiesComponent();
            pc.addOverrideProperty("kefu.sandbox", "true");
            for (String name : List.of("KEFU.retry.max", "Kefu.retry.max", "KEFU_RETRY_MAX", "kefu_retry_max")) {
                System.setProperty(name, "3");
                try {
                    ConfigException e = assertThrows(ConfigException.class, () -> KefuSettings.from(pc, Map.of()));
                    assertTrue(e.getMessage().contains("-D" + name + " (did you mean kefu.retry.max"), e.getMessage());
                    assertFalse(e.getMessage().contains("=3"), "no value is printed");
                } finally {
                    System.clearProperty(name);
                }
            }
            for (String name : List.of("kefu_retry_max", "KEFU_RETRY_MAXX", "kefu.retry.max")) {
                ConfigException e = assertThrows(ConfigException.class,
                        () -> KefuSettings.from(pc, Map.of(name, "SECRET-VALUE")));
                assertTrue(e.getMessage().contains("environment variable " + name), e.getMessage());
                assertFalse(e.getMessage().contains("SECRET-VALUE"), e.getMessage());
            }
            // unrelated names are none of the relay's business (the spellings Camel reads: environmentNamesMapToKeys)
            KefuSettings s = KefuSettings.from(pc, Map.of("KEFUX", "1", "KEFU", "1", "PATH", "/bin"));
            assertEquals(Map.of(SandboxDefaults.APPID, SandboxDefaults.SECRET), s.accountSecrets());
        }
    }

    @Test
    void portsAreZeroTo65535AndSizesAndTimeoutsMoreThanZero() {
        Map<String, String> ok = Map.of("kefu.appid", "wxa", "kefu.secret", "s");
        for (String port : List.of("kefu.push.port", "kefu.http.port", "kefu.broker.port", "kefu.sandbox.port")) {
            assertMessage(with(ok, port, "70000"), port + "=70000 is not a port");
            assertMessage(with(ok, port, "-1"), port + "=-1 is not a port");
            assertEquals(65535, KefuSettings.of(with(ok, port, "65535")).integer(port));
        }
        for (String size : List.of("kefu.inbox.max-size", "kefu.media.image-max-size", "kefu.broker.queue-memory",
                "kefu.push.max-size")) {
            assertMessage(with(ok, size, "0"), size + "=0 must be more than 0");
            assertMessage(with(ok, size, "0KB"), size + "=0KB must be more than 0");
            assertMessage(with(ok, size, "99999999999GB"), size + "=99999999999GB is too large");
        }
        for (String duration : List.of("kefu.media.url-timeout", "kefu.wechat.connect-timeout",
                "kefu.wechat.read-timeout", "kefu.store.lock-timeout", "kefu.retry.delay", "kefu.retry.max-delay",
                "kefu.shutdown.timeout")) {
            assertMessage(with(ok, duration, "0s"), duration + "=0s must be longer than 0");
            assertMessage(with(ok, duration, "0ms"), duration + "=0ms must be longer than 0");
            assertMessage(with(ok, duration, "99999999999999999999d"), duration + "=99999999999999999999d is too large");
        }
        assertMessage(with(ok, "kefu.store.pool-size", "0"), "kefu.store.pool-size=0 must be greater than 0");
        // where 0 means something, it is taken
        KefuSettings zeros = KefuSettings.of(with(with(with(ok, "kefu.push.max-age", "0"), "kefu.retry.max", "0"),
                "kefu.token.refresh-ahead", "0s"));
        assertEquals(0, zeros.integer("kefu.retry.max"));
        assertMessage(with(ok, "kefu.push.max-age", "0s"), "kefu.push.max-age=0s must be 0 (off) or longer");
    }

    /** Every default keeps its own rule, and a setting with a number in its default has a rule at all. */
    @Test
    void everyNumericSettingHasARuleItsDefaultKeeps() {
        Map<String, String> values = new java.util.HashMap<>(KefuSettings.DEFAULTS);
        SettingRules.check(values);
        for (Map.Entry<String, String> d : KefuSettings.DEFAULTS.entrySet()) {
            if (d.getValue().matches("\\d+\\s*[a-zA-Z]*|true|false")) {
                assertTrue(SettingRules.RULES.containsKey(d.getKey()), d.getKey() + " has no rule");
            }
        }
    }

    @Test
    void camelResolvesTheValuesAndEveryGivenKeyIsChecked(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = dir.resolve("application.properties");
        java.nio.file.Files.writeString(file, "kefu.appid = wxa\nkefu.secret = s\nkefu.jms.concurrency = 3\n"
                + "kefu.accounts.wxb.secret = sb\n");
        try (org.apache.camel.impl.DefaultCamelContext camel = new org.apache.camel.impl.DefaultCamelContext()) {
            org.apache.camel.spi.PropertiesComponent pc = camel.getPropertiesComponent();
            pc.setLocation("file:" + file);
            pc.addOverrideProperty("kefu.retry.max", "2");
            KefuSettings s = KefuSettings.from(pc, Map.of("PATH", "/bin"));
            assertEquals(3, s.integer("kefu.jms.concurrency"));
            assertEquals(2, s.integer("kefu.retry.max"), "an override given in code wins over the file");
            assertEquals(Map.of("wxa", "s", "wxb", "sb"), s.accountSecrets());
            assertEquals("kefu.outbound", s.get("kefu.jms.queue"), "defaults fill what no source gives");
            ConfigException typoInEnv = assertThrows(ConfigException.class,
                    () -> KefuSettings.from(pc, Map.of("KEFU_RETRY_MAXX", "3")));
            assertTrue(typoInEnv.getMessage().contains("environment variable KEFU_RETRY_MAXX"), typoInEnv.getMessage());
            pc.addOverrideProperty("kefu.inbox.dri", "x");
            ConfigException typo = assertThrows(ConfigException.class, () -> KefuSettings.from(pc, Map.of()));
            assertTrue(typo.getMessage().contains("kefu.inbox.dri"), typo.getMessage());
        }
    }

    @Test
    void unitsParse() {
        assertEquals(Duration.ofMillis(200), Units.duration("k", "200ms"));
        assertEquals(Duration.ofMinutes(5), Units.duration("k", "5m"));
        assertEquals(Duration.ofHours(2), Units.duration("k", "2h"));
        assertEquals(512L * 1024, Units.bytes("k", "512KB"));
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> m = new java.util.HashMap<>(base);
        m.put(key, value);
        return m;
    }

    private static void assertMessage(Map<String, String> props, String key) {
        ConfigException e = assertThrows(ConfigException.class, () -> KefuSettings.of(props));
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }

    @Test
    void healthAndMetricsListenOnLoopbackUnlessConfigured() {
        KefuSettings s = KefuSettings.of(Map.of("kefu.appid", "wxa", "kefu.secret", "s"));
        assertEquals("127.0.0.1", s.get("kefu.http.bind"));
        assertEquals(8080, s.integer("kefu.http.port"));
        ConfigException e = assertThrows(ConfigException.class,
                () -> KefuSettings.of(Map.of("kefu.appid", "wxa", "kefu.secret", "s", "kefu.http.bind", " ")));
        assertTrue(e.getMessage().startsWith("kefu.http.bind"), e.getMessage());
        ConfigException port = assertThrows(ConfigException.class,
                () -> KefuSettings.of(Map.of("kefu.appid", "wxa", "kefu.secret", "s", "kefu.http.port", "-1")));
        assertTrue(port.getMessage().startsWith("kefu.http.port"), port.getMessage());
    }
}
