package dev.kefurelay;

import java.nio.file.Path;
import java.util.Map;

import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.testkit.KefuSandboxExtension;

/** Relay settings for tests: the sandbox as WeChat, folders under a temp dir, quick retries. */
public final class TestRelays {

    public static final int RETRIES = KefuSandboxExtension.RETRIES;

    private TestRelays() {
    }

    public static Map<String, String> properties(Path dir, WeChatSandbox sandbox, Map<String, String> more) {
        Map<String, String> p = KefuSandboxExtension.sandboxProperties(dir, sandbox.baseUrl(), CoreDeliveryTest.APPID,
                CoreDeliveryTest.SECRET);
        p.putAll(more);
        return p;
    }
}
