package dev.kefurelay.broker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.kefurelay.KefuRelay;
import dev.kefurelay.Samples;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.testkit.JmsTestClient;
import dev.kefurelay.testkit.TestRelays;
import jakarta.jms.Message;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dead-letter copy commits together with the removal from the input queue: when the consumer fails after
 * writing the copy, both roll back, and the redelivered message is dead-lettered once, not twice.
 */
class DeadLetterTransactionTest {

    @TempDir
    Path dir;

    @Test
    void aCrashAfterTheDeadLetterCopyRollsTheCopyBack() throws Exception {
        crashAfterTheCopy("{\"touser\":\"o1\",\"msgtype\":\"image\",\"image\":{}}", "invalid-input", sandbox -> { });
    }

    /**
     * A failure WeChat reports arrives on another thread than the consumer's (the HTTP answer): the dead-letter copy
     * must still be sent in the consumer's transaction.
     */
    @Test
    void aWeChatRefusalIsDeadLetteredInTheConsumersTransactionToo() throws Exception {
        crashAfterTheCopy(Samples.text("refused twice"), "wechat-error", sandbox -> sandbox.failNext(43004, 2));
    }

    private void crashAfterTheCopy(String body, String reason, java.util.function.Consumer<WeChatSandbox> faults)
            throws Exception {
        try (WeChatSandbox sandbox = WeChatSandbox.start(0).account(TestRelays.APPID, TestRelays.SECRET);
                KefuRelay relay = KefuRelay.start(TestRelays.properties(dir, sandbox, Map.of()))) {
            faults.accept(sandbox);
            AtomicBoolean crashed = new AtomicBoolean();
            AdviceWith.adviceWith(relay.camel(), "kefu-jms-dead-letter", route -> route.weaveAddLast().process(e -> {
                if (crashed.compareAndSet(false, true)) {
                    throw new IllegalStateException("simulated crash after the dead-letter copy was written");
                }
            }));
            try (JmsTestClient client = new JmsTestClient(relay.broker().url(), "kefu.outbound")) {
                client.sendText(body);
                await().atMost(Duration.ofSeconds(30)).until(() -> crashed.get()
                        && relay.broker().messageCount("kefu.outbound") == 0
                        && relay.broker().messageCount("kefu.outbound.dlq") >= 1);
                List<Message> dead = client.drain("kefu.outbound.dlq");
                assertEquals(1, dead.size(), "one dead letter, not one per delivery attempt");
                assertEquals(reason, dead.get(0).getStringProperty("KefuReason"));
            }
        }
    }
}
