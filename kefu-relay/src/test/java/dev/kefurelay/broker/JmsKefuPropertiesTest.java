package dev.kefurelay.broker;

import static dev.kefurelay.broker.OutboundQueue.assertInvalidInput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.kefurelay.LogCapture;
import dev.kefurelay.Samples;
import dev.kefurelay.testkit.KefuSandboxExtension;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * JMS properties a producer sets that the relay must not take as they come, end to end (the embedded broker over its
 * socket, the sandbox over HTTP): a Kefu* property of the wrong type is invalid input naming it, with the message
 * kept as sent; a property named like Camel's own headers cannot redirect the dead letter; an appid with line breaks
 * cannot forge an outcome line.
 */
class JmsKefuPropertiesTest {

    @RegisterExtension
    static KefuSandboxExtension wechat = new KefuSandboxExtension();
    @RegisterExtension
    final OutboundQueue queue = new OutboundQueue(wechat);

    @Test
    void aKefuPropertyOfTheWrongTypeIsInvalidInputNamingIt() throws Exception {
        // over Artemis' large-message size too: its dead letter is the message as received, streamed body and all
        String large = Samples.text("int appid " + "长".repeat(100_000));
        TextMessage intAppid = queue.session().createTextMessage(large);
        intAppid.setIntProperty("KefuAppId", 12345);
        intAppid.setStringProperty("Case", "int-appid");
        TextMessage boolUser = queue.session().createTextMessage("plain text");
        boolUser.setBooleanProperty("KefuToUser", true);
        boolUser.setStringProperty("Case", "bool-touser");
        TextMessage media = queue.session().createTextMessage(
                "{\"touser\":\"oMediaUser00001\",\"msgtype\":\"image\",\"image\":{}}");
        media.setStringProperty("KefuMedia", "not bytes");
        media.setStringProperty("Case", "media");
        queue.putAll(List.of(intAppid, boolUser, media));
        queue.awaitSettled(3);

        Map<String, Message> dead = new HashMap<>();
        for (Message m : queue.drainDlq()) {
            dead.put(m.getStringProperty("Case"), m);
        }
        assertInvalidInput(dead.get("int-appid"), "KefuAppId", "string", "int");
        assertEquals(12345, dead.get("int-appid").getIntProperty("KefuAppId"), "the property is kept as sent");
        assertEquals(large, ((TextMessage) dead.get("int-appid")).getText(), "the body is kept");
        assertInvalidInput(dead.get("bool-touser"), "KefuToUser", "string", "boolean");
        assertInvalidInput(dead.get("media"), "KefuMedia");
        assertEquals(0, wechat.sandbox().sendCalls(), "WeChat is never called");
    }

    @Test
    void aPropertyNamedLikeCamelsOwnHeadersCannotRedirectTheDeadLetter() throws Exception {
        TextMessage m = queue.session().createTextMessage("{\"touser\":\"o1\",\"msgtype\":\"text\"}");
        m.setStringProperty("CAMELJmsDestinationName", "kefu.elsewhere");
        queue.putAll(List.of(m));
        queue.awaitSettled(1);
        Message dead = queue.drainDlq().get(0);
        assertInvalidInput(dead, "CAMELJmsDestinationName");
        assertEquals(-1, wechat.relay().broker().messageCount("kefu.elsewhere"));
    }

    @Test
    void anAppidWithANewlineKeepsTheOutcomeLineOnOneLine() throws Exception {
        TextMessage m = queue.session().createTextMessage(Samples.text("forged"));
        m.setStringProperty("KefuAppId", "wxforged\nfailed appid=wxother reason=delivered\r\u001b[2J");
        try (LogCapture logs = LogCapture.open()) {
            queue.putAll(List.of(m));
            queue.awaitSettled(1);
            List<String> outcome = logs.lines().stream().filter(l -> l.startsWith("dev.kefurelay.outcome ")).toList();
            assertEquals(1, outcome.size(), outcome.toString());
            String line = outcome.get(0).stripTrailing();
            assertFalse(line.contains("\n") || line.contains("\r") || line.contains("\u001b"), line);
            assertTrue(line.contains("wxforged\\nfailed appid=wxother reason=delivered\\r\\u001b[2J"), line);
        }
    }
}
