package dev.kefurelay.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;

import dev.kefurelay.sandbox.WeChatSandbox;

/** Relay settings for tests: the sandbox as WeChat, folders under a temp dir, quick retries. */
public final class TestRelays {

    /** The account the test relays send from; the sandbox knows it by this secret. */
    public static final String APPID = "wxcoretest00000001";
    public static final String SECRET = "core-test-secret-value-1";
    public static final int RETRIES = KefuSandboxExtension.RETRIES;

    private TestRelays() {
    }

    /** A loopback port free now, for a server a relay is to start (the push port). */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    /**
     * A relay in sandbox mode ({@code kefu.sandbox=true}) as the README runs it: the sandbox on {@code sandboxPort},
     * the push server on a free port, folders under {@code dir}, free broker and HTTP ports.
     */
    public static Map<String, String> sandboxMode(Path dir, int sandboxPort) {
        Map<String, String> p = new java.util.LinkedHashMap<>();
        p.put("kefu.sandbox", "true");
        p.put("kefu.sandbox.port", String.valueOf(sandboxPort));
        p.put("kefu.push.port", String.valueOf(freePort()));
        p.put("kefu.http.port", "0");
        p.put("kefu.broker.port", "0");
        p.put("kefu.broker.data-dir", dir.resolve("broker").toString());
        p.put("kefu.store.dir", dir.resolve("store").toString());
        p.put("kefu.inbox.dir", dir.resolve("inbox").toString());
        return p;
    }

    public static Map<String, String> properties(Path dir, WeChatSandbox sandbox, Map<String, String> more) {
        Map<String, String> p = KefuSandboxExtension.sandboxProperties(dir, sandbox.baseUrl(), APPID, SECRET);
        p.putAll(more);
        return p;
    }
}
