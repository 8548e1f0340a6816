package dev.kefurelay.media;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpServer;
import dev.kefurelay.message.InvalidMessageException;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real local servers of the URL fetch tests, each recording every request it gets: an HTTP server on 127.0.0.1
 * (and on [::1] where there is an IPv6 loopback) serving a picture and an admin API, raw TCP servers that talk as a
 * test says; and the fetches the test makes of them, all closed after the test.
 * <pre>
 * &#64;RegisterExtension
 * final FetchServers servers = new FetchServers();
 * </pre>
 */
final class FetchServers implements BeforeEachCallback, AfterEachCallback {

    static final Duration DEADLINE = Duration.ofSeconds(1);
    static final byte[] PICTURE = "\u0089PNG picture bytes".getBytes(StandardCharsets.ISO_8859_1);

    /** Requests that reached the recording servers, as "METHOD path". */
    final List<String> hits = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private ExecutorService threads;
    private HttpServer v4;
    private HttpServer v6;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        threads = Executors.newCachedThreadPool();
        v4 = recorder(new InetSocketAddress("127.0.0.1", 0));
        try {
            v6 = recorder(new InetSocketAddress(InetAddress.getByName("::1"), 0));
        } catch (IOException e) {
            v6 = null; // no IPv6 loopback here: the [::1] form is still refused, there is just nothing to hit
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        v4.stop(0);
        if (v6 != null) {
            v6.stop(0);
        }
        threads.shutdownNow();
    }

    /** The HTTP server on 127.0.0.1, for the paths a test adds. */
    HttpServer v4() {
        return v4;
    }

    /** The port of the HTTP server on 127.0.0.1 (the one the tests' URLs name). */
    int port() {
        return v4.getAddress().getPort();
    }

    /** The port of the server on [::1], or of the one on 127.0.0.1 where there is no IPv6 loopback. */
    int v6Port() {
        return v6 != null ? v6.getAddress().getPort() : port();
    }

    /** Serves a picture at /pic.png, an admin API that deletes things on GET, and records both. */
    private HttpServer recorder(InetSocketAddress address) throws IOException {
        HttpServer server = HttpServer.create(address, 0);
        server.setExecutor(threads);
        server.createContext("/pic.png", exchange -> {
            hits.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            exchange.getResponseHeaders().set("Content-Type", "image/png");
            exchange.sendResponseHeaders(200, PICTURE.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(PICTURE);
            }
        });
        server.createContext("/admin/delete-everything", exchange -> {
            hits.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        return server;
    }

    /** A fetch with the deadline above that lets through the hosts {@code allowed}; closed after the test. */
    UrlFetch fetcher(String allowed) {
        return fetcher(AllowHosts.parse(allowed, "test"));
    }

    UrlFetch fetcher(AllowHosts hosts) {
        return closed(new UrlFetch(Duration.ofSeconds(5), DEADLINE, hosts));
    }

    UrlFetch fetcher(PinnedHosts hosts) {
        return closed(new UrlFetch(Duration.ofSeconds(5), DEADLINE, hosts));
    }

    private UrlFetch closed(UrlFetch fetch) {
        closing.add(fetch);
        return fetch;
    }

    static byte[] fetch(UrlFetch fetch, String url) {
        return fetch.fetch(url, "image.source_url '" + url + "'", MediaLimits.DEFAULTS, "image");
    }

    static String refusal(UrlFetch fetch, String url) {
        return assertThrows(InvalidMessageException.class, () -> fetch(fetch, url), url).getMessage();
    }

    interface Conversation {
        void talk(Socket socket) throws IOException;
    }

    /** A TCP server on 127.0.0.1 that holds each connection as {@code conversation} says, then closes it. */
    int rawServer(Conversation conversation) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        closing.add(server);
        threads.execute(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    threads.execute(() -> {
                        try (socket; InputStream ignored = socket.getInputStream()) {
                            conversation.talk(socket);
                        } catch (IOException e) {
                            // the client went away
                        }
                    });
                } catch (IOException e) {
                    return; // closed at the end of the test
                }
            }
        });
        return server.getLocalPort();
    }
}
