package dev.kefurelay.component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;

/**
 * A camel-main application with Camel's own HTTP server (camel-platform-http-main, Vert.x) on a free loopback port and
 * the wechat-kefu component configured by camel.component.wechat-kefu.* properties only, as a user's would be. Its
 * route {@code from("wechat-kefu:push")} keeps every exchange it got, as it got it; it throws while told to.
 */
final class PushApp implements AutoCloseable {

    static final String ROUTE_ID = "pushes";

    final Main main = new Main();
    final int port = freePort();
    /** Copies of each exchange's message as the route received it. */
    final List<Map<String, Object>> headers = new CopyOnWriteArrayList<>();
    final List<String> bodies = new CopyOnWriteArrayList<>();
    /** The route throws this many times more. */
    final AtomicInteger failures = new AtomicInteger();

    /** @param store the component's local store folder (its window book among the rest) */
    PushApp(String baseUrl, Path store, Map<String, String> component) {
        this(baseUrl, store, component, new RouteBuilder() {
            @Override
            public void configure() {
                // set below: it needs this instance
            }
        });
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from("wechat-kefu:push").routeId(ROUTE_ID).process(PushApp.this::record);
            }
        });
    }

    /** @param routes the application's routes besides what a test adds; null: none */
    PushApp(String baseUrl, Path store, Map<String, String> component, RoutesBuilder routes) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("camel.server.enabled", "true");
        p.put("camel.server.host", "127.0.0.1");
        p.put("camel.server.port", String.valueOf(port));
        // Camel's health checks, the consumers' among them, as an application turns them on
        p.put("camel.health.enabled", "true");
        p.put("camel.component.wechat-kefu.base-url", baseUrl);
        p.put("camel.component.wechat-kefu.store-dir", store.toString());
        component.forEach((k, v) -> p.put(k.startsWith("camel.") ? k : "camel.component.wechat-kefu." + k, v));
        p.forEach(main::addInitialProperty);
        if (routes != null) {
            main.configure().addRoutesBuilder(routes);
        }
    }

    PushApp start() throws Exception {
        main.start();
        return this;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    CamelContext camel() {
        return main.getCamelContext();
    }

    WeChatKefuComponent wechat() {
        return camel().getComponent("wechat-kefu", WeChatKefuComponent.class);
    }

    private void record(Exchange exchange) {
        headers.add(Map.copyOf(exchange.getMessage().getHeaders()));
        bodies.add(exchange.getMessage().getBody(String.class));
        if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IllegalStateException("the route's own failure");
        }
    }

    @Override
    public void close() {
        main.stop();
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }
}
