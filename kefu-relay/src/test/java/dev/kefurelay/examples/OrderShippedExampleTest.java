package dev.kefurelay.examples;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.kefurelay.testkit.JmsTestClient;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.testkit.KefuSandboxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** examples/order-shipped: the XML event on JMS becomes a text message with the tracking link. */
class OrderShippedExampleTest {

    @RegisterExtension
    static KefuSandboxExtension wechat = new KefuSandboxExtension()
            .withRoutes("file:examples/order-shipped/*.camel.yaml");

    @Test
    void theShippedEventReachesTheCustomerWithTheTrackingLink() throws Exception {
        try (JmsTestClient shop = new JmsTestClient(wechat.brokerUrl(), "shop.order.shipped")) {
            shop.sendText(Files.readString(Path.of("examples/order-shipped/order-shipped.xml")));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> wechat.delivered().size() == 1);
        WeChatSandbox.Delivered d = wechat.delivered().get(0);
        assertEquals("oUserOpenId000000000000001", d.touser());
        assertEquals("text", d.msgtype());
        assertEquals("您的订单 A-1001 已由顺丰速运发出。 "
                + "<a href=\"https://shop.example.com/orders/A-1001/tracking\">查看物流</a>",
                d.body().path("text").path("content").asText());
    }
}
