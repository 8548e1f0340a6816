package dev.kefurelay.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The benchmark's WeChat: answers custom/send after a fixed latency and hands out one token per account, counting
 * only (no record of what it received, so its heap does not grow with N). It runs on its own thread pool, large
 * enough that every caller can wait out the latency at once, so it never takes a thread of the relay's.
 */
final class FakeWeChat implements AutoCloseable {

    private static final Pattern APPID = Pattern.compile("\"appid\"\\s*:\\s*\"([^\"]+)\"");
    private static final byte[] OK = "{\"errcode\":0,\"errmsg\":\"ok\"}".getBytes(StandardCharsets.UTF_8);

    static {
        // The JDK server leaves Nagle on and writes headers and body apart: each answer would then wait for the
        // client's delayed ACK (~40 ms on Linux). Read once per JVM, so set before the first HttpServer.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        System.setProperty("sun.net.httpserver.maxIdleConnections", "1024");
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private volatile long latencyNanos;
    private final Map<String, AtomicInteger> tokenFetches = new ConcurrentHashMap<>();
    private final AtomicLong sends = new AtomicLong();

    FakeWeChat(Duration latency, int threads) throws IOException {
        this.latencyNanos = latency.toNanos();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
        AtomicInteger n = new AtomicInteger();
        executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "fake-wechat-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A slower WeChat holds the relay's consumers, so a backlog builds on the queue (the heap phase). */
    void latency(Duration latency) {
        latencyNanos = latency.toNanos();
    }

    long sends() {
        return sends.get();
    }

    void resetSends() {
        sends.set(0);
    }

    Map<String, AtomicInteger> tokenFetches() {
        return tokenFetches;
    }

    /** A fresh count of token fetches, for the next system measured. */
    void resetTokenFetches() {
        tokenFetches.clear();
    }

    /**
     * Fails unless an answer comes without waiting for the client's delayed ACK: the median of 50 sequential
     * requests to a path answered at once must be under 10 ms (with Nagle on, ~40 ms on Linux).
     */
    void checkNoDelay(HttpClient http) throws Exception {
        HttpRequest ping = HttpRequest.newBuilder(URI.create(baseUrl()
                + "/bench/ping")).build();
        long[] nanos = new long[50];
        for (int i = 0; i < nanos.length; i++) {
            long t0 = System.nanoTime();
            http.send(ping, HttpResponse.BodyHandlers.discarding());
            nanos[i] = System.nanoTime() - t0;
        }
        Arrays.sort(nanos);
        if (nanos[nanos.length / 2] > 10_000_000L) {
            throw new IllegalStateException(String.format("the fake WeChat answers in %.1f ms without any latency: "
                    + "its answers wait for delayed ACKs (TCP_NODELAY is off); every system would cap near 660 msg/s",
                    nanos[nanos.length / 2] / 1e6));
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String path = exchange.getRequestURI().getPath();
            byte[] reply;
            if (path.endsWith("/custom/send")) {
                sleep(latencyNanos);
                sends.incrementAndGet();
                reply = OK;
            } else if (path.endsWith("/stable_token") || path.endsWith("/cgi-bin/token")) {
                String appid = appid(body, exchange.getRequestURI().getRawQuery());
                tokenFetches.computeIfAbsent(appid, a -> new AtomicInteger()).incrementAndGet();
                sleep(latencyNanos);
                reply = ("{\"access_token\":\"BENCH-TOKEN-" + appid + "\",\"expires_in\":7200}")
                        .getBytes(StandardCharsets.UTF_8);
            } else if (path.equals("/bench/ping")) {
                reply = OK;
            } else {
                reply = "{\"errcode\":-1,\"errmsg\":\"not faked\"}".getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
            exchange.sendResponseHeaders(200, reply.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(reply);
            }
        }
    }

    private static String appid(String body, String query) {
        Matcher m = APPID.matcher(body);
        if (m.find()) {
            return m.group(1);
        }
        if (query != null) {
            for (String p : query.split("&")) {
                if (p.startsWith("appid=")) {
                    return p.substring(6);
                }
            }
        }
        return "?";
    }

    private static void sleep(long nanos) {
        if (nanos <= 0) {
            return;
        }
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
