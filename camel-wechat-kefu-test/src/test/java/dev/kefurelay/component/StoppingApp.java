package dev.kefurelay.component;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

import dev.kefurelay.Samples;
import dev.kefurelay.sandbox.WeChatSandbox;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * A small Camel application, run in a JVM of its own by {@link StopLeavesNoThreadTest}: it sends through
 * wechat-kefu:send on every path that uses the component's threads (a token fetch, a call on the component's pool,
 * a retry after WeChat was busy, a copy of an id waiting for the copy in flight), stops, and prints how long the
 * stop took and which threads it started are still alive a moment later.
 */
public final class StoppingApp {

    private StoppingApp() {
    }

    public static void main(String[] args) throws Exception {
        WeChatSandbox sandbox = WeChatSandbox.start(0).account("wxstoppingapp00001", "stopping-secret");
        Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
        DefaultCamelContext camel = new DefaultCamelContext();
        WeChatKefuComponent wechat = new WeChatKefuComponent();
        wechat.getConfiguration().setBaseUrl(sandbox.baseUrl());
        wechat.getConfiguration().setAppid("wxstoppingapp00001");
        wechat.getConfiguration().setSecret("stopping-secret");
        wechat.getConfiguration().setRetryDelay(Duration.ofMillis(10));
        wechat.getConfiguration().setStoreDir(Files.createTempDirectory("stopping-app").toString());
        camel.addComponent("wechat-kefu", wechat);
        camel.start();
        ProducerTemplate template = camel.createProducerTemplate();
        // the first waits for the token on the component's pool; then WeChat is busy once: a retry
        template.requestBody("wechat-kefu:send", Samples.text("first"), String.class);
        sandbox.failNext(-1, 1);
        template.requestBody("wechat-kefu:send", Samples.text("busy once"), String.class);
        // two copies of one id at once, WeChat slow: the second waits for the first
        sandbox.latency(Duration.ofMillis(300));
        CompletableFuture<String> one = template.asyncRequestBody("wechat-kefu:send",
                Samples.textWithId("same-id", "copy"), String.class);
        CompletableFuture<String> two = template.asyncRequestBody("wechat-kefu:send",
                Samples.textWithId("same-id", "copy"), String.class);
        System.out.println("OUTCOMES=" + one.get() + " " + two.get() + " delivered=" + sandbox.deliveredCount());
        long start = System.nanoTime();
        camel.stop();
        System.out.println("STOP_MS=" + (System.nanoTime() - start) / 1_000_000);
        sandbox.close();
        // every thread started since: each gets until the deadline to end (join waits for exactly that)
        Set<String> left = new TreeSet<>();
        long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (!before.contains(t) && t != Thread.currentThread()) {
                t.join(Math.max(1, (until - System.nanoTime()) / 1_000_000));
                if (t.isAlive()) {
                    left.add(t.getName() + (t.isDaemon() ? " (daemon)" : ""));
                }
            }
        }
        System.out.println("LEFT=" + String.join(", ", left));
    }
}
