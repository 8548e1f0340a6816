package dev.kefurelay;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.kefurelay.sandbox.WeChatSandbox;

/** Relay settings for tests: the sandbox as WeChat, folders under a temp dir, quick retries. */
public final class TestRelays {

    public static final int RETRIES = 3;

    private TestRelays() {
    }

    public static Map<String, String> properties(Path dir, WeChatSandbox sandbox, Map<String, String> more) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("kefu.wechat.base-url", sandbox.baseUrl());
        p.put("kefu.appid", CoreDeliveryTest.APPID);
        p.put("kefu.secret", CoreDeliveryTest.SECRET);
        p.put("kefu.retry.max", String.valueOf(RETRIES));
        p.put("kefu.retry.delay", "10ms");
        p.put("kefu.retry.max-delay", "40ms");
        p.put("kefu.inbox.dir", dir.resolve("inbox").toString());
        p.put("kefu.store.dir", dir.resolve("store").toString());
        p.put("kefu.broker.data-dir", dir.resolve("broker").toString());
        p.put("kefu.broker.port", "0");
        p.put("kefu.http.port", "0");
        p.putAll(more);
        return p;
    }
}
