package com.example.helpdesk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.ServiceLoader;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kefurelay.testkit.WeChatKefuSandboxExtension;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.Produce;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The application as it runs (its main class, application.properties, its YAML routes), against the WeChat sandbox:
 * the kit sets {@code camel.component.wechat-kefu.*} for the test, so nothing of the application changes.
 */
@CamelMainTest // application.properties and the YAML routes, as HelpdeskApp starts them
class HelpdeskAppTest {

    @RegisterExtension
    static final WeChatKefuSandboxExtension wechat = new WeChatKefuSandboxExtension();

    @BeanInject
    CamelContext context;

    @Produce("direct:ticket-answered")
    ProducerTemplate helpdesk;

    @Test
    void anAnsweredTicketReachesTheCustomerAsWeChatsExactJson() throws Exception {
        helpdesk.send(e -> {
            e.getMessage().setBody("请重启路由器后再试。");
            e.getMessage().setHeader("openid", "oCustomer0000000000000001");
            e.getMessage().setHeader("ticketNo", "T-1024");
        });
        List<dev.kefurelay.sandbox.WeChatSandbox.Delivered> delivered = wechat.delivered();
        assertEquals(1, delivered.size());
        assertEquals(new ObjectMapper().readTree("{\"touser\":\"oCustomer0000000000000001\",\"msgtype\":\"text\","
                + "\"text\":{\"content\":\"您的工单 T-1024 有了回复: 请重启路由器后再试。\"}}"), delivered.get(0).body());
        assertEquals(WeChatKefuSandboxExtension.APPID, delivered.get(0).appid());
    }

    @Test
    void theApplicationStartsNoBrokerNoHttpServerAndHasOneLoggingBackend() {
        assertThrows(ClassNotFoundException.class,
                () -> Class.forName("org.apache.activemq.artemis.core.server.ActiveMQServer"), "no broker on the classpath");
        assertThrows(ClassNotFoundException.class, () -> Class.forName("io.vertx.core.Vertx"), "no Vert.x HTTP server");
        assertNull(context.hasComponent("platform-http"), "no HTTP server component");
        assertNull(context.hasComponent("jms"));
        long providers = ServiceLoader.load(SLF4JServiceProvider.class).stream().count();
        assertEquals(1, providers, "one SLF4J provider");
        assertTrue(context.getRoutes().stream().allMatch(r -> r.getEndpoint().getEndpointUri().startsWith("direct:")),
                "the application's own routes only");
    }
}
