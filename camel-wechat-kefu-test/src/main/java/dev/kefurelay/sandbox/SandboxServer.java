package dev.kefurelay.sandbox;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDK HTTP server under the sandbox: on 127.0.0.1 only, with threads of its own and JVM settings tuned for it;
 * its start and stop are logged under {@link WeChatSandbox}'s logger, the one an operator knows the sandbox by.
 */
final class SandboxServer {

    private static final Logger LOG = LoggerFactory.getLogger(WeChatSandbox.class);

    /** Enough for 200+ concurrent callers each holding a request open (e.g. under injected latency). */
    private static final int THREADS = 256;

    /**
     * The JDK server closes every idle keep-alive connection beyond 200 by default, which would make a relay with
     * more connections reconnect on every call. The setting is read once per JVM, when the first HttpServer
     * starts, so it is raised here, before that, unless someone chose a value already.
     */
    private static final String MAX_IDLE_CONNECTIONS = "sun.net.httpserver.maxIdleConnections";

    /**
     * The JDK server leaves Nagle's algorithm on and writes a reply's headers and body apart, so each reply waited
     * for the client's delayed ACK: about 40 ms added to every call on Linux, more than a real WeChat round trip
     * from nearby. Read once per JVM like the one above.
     */
    private static final String NO_DELAY = "sun.net.httpserver.nodelay";

    static {
        if (System.getProperty(MAX_IDLE_CONNECTIONS) == null) {
            System.setProperty(MAX_IDLE_CONNECTIONS, "1024");
        }
        if (System.getProperty(NO_DELAY) == null) {
            System.setProperty(NO_DELAY, "true");
        }
    }

    private final HttpServer server;
    private final ThreadPoolExecutor executor;
    private final AtomicBoolean stopped = new AtomicBoolean();

    private SandboxServer(HttpServer server, ThreadPoolExecutor executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * A server bound to 127.0.0.1 (port 0: a free one), not started: it answers nothing before the sandbox's routes
     * are in place ({@link #start}).
     */
    static SandboxServer listen(int port) {
        InetSocketAddress address = new InetSocketAddress(loopback(), port);
        try {
            return new SandboxServer(HttpServer.create(address, 1024), newExecutor());
        } catch (IOException e) {
            throw new UncheckedIOException("WeChat sandbox cannot listen on 127.0.0.1:" + port, e);
        }
    }

    /** Answers every path with {@code handler}, on the server's own threads. */
    void start(HttpHandler handler) {
        server.createContext("/", handler);
        server.setExecutor(executor);
        server.start();
        LOG.info("WeChat sandbox listening on http://127.0.0.1:{}", port());
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Stops once; a second call does nothing. */
    void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        server.stop(0);
        // Interrupts handlers waiting out an injected latency.
        executor.shutdownNow();
        LOG.info("WeChat sandbox on port {} stopped", port());
    }

    /** Its own threads, so a slow or stuck sandbox can never starve the relay's pools, and vice versa. */
    private static ThreadPoolExecutor newExecutor() {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "wechat-sandbox-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        ThreadPoolExecutor executor = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), factory);
        // Idle sandboxes (one per test class) should not pin 256 threads each.
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
