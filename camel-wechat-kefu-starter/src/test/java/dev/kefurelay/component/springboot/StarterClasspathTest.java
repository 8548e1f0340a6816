package dev.kefurelay.component.springboot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * What the starter brings into an application, its tests' own dependencies included: one logging backend (Spring
 * Boot's Logback, which every other logging API is routed to), and no broker or second backend.
 */
class StarterClasspathTest {

    @Test
    void oneLoggingBackend() {
        List<String> providers = ServiceLoader.load(SLF4JServiceProvider.class).stream()
                .map(p -> p.type().getName()).toList();
        assertEquals(List.of("ch.qos.logback.classic.spi.LogbackServiceProvider"), providers);
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.apache.logging.log4j.core.LoggerContext"));
    }

    @Test
    void noBroker() {
        assertThrows(ClassNotFoundException.class,
                () -> Class.forName("org.apache.activemq.artemis.core.server.ActiveMQServer"));
        assertThrows(ClassNotFoundException.class, () -> Class.forName("jakarta.jms.ConnectionFactory"));
    }
}
