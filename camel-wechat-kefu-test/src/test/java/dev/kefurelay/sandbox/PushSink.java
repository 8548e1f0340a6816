package dev.kefurelay.sandbox;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.kefurelay.push.PushBody;
import dev.kefurelay.push.PushCrypto;
import dev.kefurelay.push.PushXml;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What stands for a relay's push endpoint in the sandbox's own tests: a loopback HTTP server that checks and decrypts
 * each push as a relay would (the relay's own {@link PushCrypto}), keeps the plaintext's fields and answers
 * {@code success}.
 */
final class PushSink implements AutoCloseable {

    static final String TOKEN = "push-token-for-the-sink";
    static final String AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

    /**
     * One push as the relay would read it: the path it came to, the decrypted plaintext's fields, and whether the
     * body (and so its plaintext) was in the JSON form (a Mini Program's) rather than XML.
     */
    record Received(String path, Map<String, Object> fields, boolean json) {
        String field(String name) {
            return PushXml.text(fields, name);
        }
    }

    private final HttpServer server;
    private final PushCrypto crypto;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    PushSink(String receiveId) throws IOException {
        crypto = new PushCrypto(TOKEN, AES_KEY, null, receiveId, "test push sink");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] answer;
            int status;
            try (InputStream in = exchange.getRequestBody()) {
                byte[] body = in.readAllBytes();
                Map<String, String> query = query(exchange.getRequestURI());
                String encrypt = PushXml.text(PushBody.parse(body, PushXml.DEFAULT_MAX_BYTES), "Encrypt");
                String plaintext = crypto.decrypt(query.get("msg_signature"), query.get("timestamp"),
                        query.get("nonce"), encrypt);
                boolean json = PushBody.json(body);
                if (json != PushBody.json(plaintext.getBytes(UTF_8))) {
                    throw new IllegalStateException("the body and its plaintext are in different forms");
                }
                received.add(new Received(exchange.getRequestURI().getPath(),
                        PushBody.parse(plaintext, PushXml.DEFAULT_MAX_BYTES), json));
                status = 200;
                answer = "success".getBytes(UTF_8);
            } catch (RuntimeException e) {
                status = 400;
                answer = e.getMessage().getBytes(UTF_8);
            }
            exchange.sendResponseHeaders(status, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> params = new HashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            params.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), UTF_8));
        }
        return params;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
