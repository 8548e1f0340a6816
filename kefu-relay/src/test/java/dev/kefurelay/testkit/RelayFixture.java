package dev.kefurelay.testkit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import dev.kefurelay.KefuRelay;
import dev.kefurelay.LogCapture;
import dev.kefurelay.sandbox.WeChatSandbox;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A relay a test starts against a sandbox of its own, with a JMS client of the relay's broker and a capture of the
 * log from before either starts. After the test it closes them in the order they depend on each other (client,
 * relay, sandbox), and then checks that no secret the test named, and no token the sandbox issued, reached the log:
 * a relay test proves that by being one.
 * <pre>
 * &#64;RegisterExtension
 * final RelayFixture fixture = new RelayFixture();
 * </pre>
 */
public final class RelayFixture implements BeforeEachCallback, AfterEachCallback {

    private final List<Supplier<? extends Collection<String>>> secrets = new ArrayList<>();
    private LogCapture logs;
    private WeChatSandbox sandbox;
    private KefuRelay relay;
    private JmsTestClient jms;

    @Override
    public void beforeEach(ExtensionContext context) {
        logs = LogCapture.open();
    }

    /** What was logged since the test began. */
    public LogCapture logs() {
        return logs;
    }

    /** The test's sandbox, started by the test as it needs it; closed after the test. */
    public WeChatSandbox sandbox(WeChatSandbox started) {
        sandbox = started;
        return started;
    }

    /** Starts the relay with these settings; one started before is stopped first, as a restart would. */
    public KefuRelay start(Map<String, String> properties) throws Exception {
        stopRelay();
        relay = KefuRelay.start(properties);
        return relay;
    }

    /** A client of the running relay's broker, sending to {@code queue}; closed before the relay. */
    public JmsTestClient jms(String queue) throws Exception {
        jms = new JmsTestClient(relay.broker().url(), queue);
        return jms;
    }

    /** Stops the JMS client and the relay now (the sandbox and the log stay). */
    public void stopRelay() throws Exception {
        if (jms != null) {
            jms.close();
            jms = null;
        }
        if (relay != null) {
            relay.close();
            relay = null;
        }
    }

    /** Values that must not reach the log. */
    public RelayFixture secrets(String... values) {
        List<String> fixed = List.of(values);
        secrets.add(() -> fixed);
        return this;
    }

    /** Values that must not reach the log, read after the test (a set it adds to, refresh tokens it ends with). */
    public RelayFixture secrets(Supplier<? extends Collection<String>> values) {
        secrets.add(values);
        return this;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        try {
            stopRelay();
        } finally {
            if (sandbox != null) {
                sandbox.close();
            }
            logs.close();
        }
        Set<String> all = new LinkedHashSet<>();
        secrets.forEach(s -> all.addAll(s.get()));
        if (sandbox != null) {
            all.addAll(sandbox.issuedTokens());
        }
        logs.assertNoneOf(all, "a secret, token, ticket, code or key");
    }
}
