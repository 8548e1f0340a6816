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

    public static Map<String, String> properties(Path dir, WeChatSandbox sandbox, Map<String, String> more) {
        Map<String, String> p = KefuSandboxExtension.sandboxProperties(dir, sandbox.baseUrl(), APPID, SECRET);
        p.putAll(more);
        return p;
    }
}
