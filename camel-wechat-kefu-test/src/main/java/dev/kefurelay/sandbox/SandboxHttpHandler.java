package dev.kefurelay.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP side: routes a path to its API, applies the injected latency, writes the reply with a Content-Length. */
final class SandboxHttpHandler implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxHttpHandler.class);

    private final Map<String, Function<ApiRequest, ApiReply>> routes;
    private final Faults faults;
    private final Traffic traffic;

    SandboxHttpHandler(Map<String, Function<ApiRequest, ApiReply>> routes, Faults faults, Traffic traffic) {
        this.routes = Map.copyOf(routes);
        this.faults = faults;
        this.traffic = traffic;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Runnable after = null;
        try (exchange) {
            ApiRequest request = ApiRequest.read(exchange);
            // custom/send calls are counted from arrival to reply, the latency included (how many were held at once)
            boolean send = MessageApi.SEND.equals(request.path());
            if (send) {
                traffic.sendStarted();
            }
            try {
                ApiReply reply = answer(request);
                // The request has already taken effect: a client that times out meanwhile faces an unknown outcome,
                // exactly the case a slow WeChat creates.
                if (!await(faults.latency())) {
                    return;
                }
                write(exchange, reply);
                after = reply.after();
            } finally {
                if (send) {
                    traffic.sendEnded();
                }
            }
        } catch (IOException e) {
            // The client hung up; nothing to answer. The URI is not logged: its query holds the access token.
            LOG.debug("sandbox: connection closed by client: {}", e.toString());
        }
        runAfter(after);
    }

    /** What follows the answer (a push about what was accepted), once the client has the whole answer. */
    private static void runAfter(Runnable after) {
        if (after == null) {
            return;
        }
        try {
            after.run();
        } catch (RuntimeException e) {
            LOG.warn("sandbox: what follows an answer failed: {}", e.toString());
        }
    }

    private ApiReply answer(ApiRequest request) {
        Function<ApiRequest, ApiReply> route = routes.get(request.path());
        if (route == null) {
            return ApiReply.notFound();
        }
        try {
            return route.apply(request);
        } catch (ApiException e) {
            return ApiReply.error(e);
        } catch (RuntimeException e) {
            LOG.error("sandbox: bug while handling {}", request.path(), e);
            return new ApiReply(500, null, new byte[0]);
        }
    }

    private static boolean await(Duration latency) {
        if (latency.isZero()) {
            return true;
        }
        try {
            Thread.sleep(latency.toMillis());
            return true;
        } catch (InterruptedException e) {
            // Interrupted only by close(): drop the reply.
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void write(HttpExchange exchange, ApiReply reply) throws IOException {
        if (reply.contentType() != null) {
            exchange.getResponseHeaders().set("Content-Type", reply.contentType());
        }
        byte[] body = reply.body();
        // A known length (or -1 for none) lets HttpServer keep the connection alive; chunking is not needed.
        exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
