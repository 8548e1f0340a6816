package dev.kefurelay.receive;

import java.io.IOException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

import io.vertx.core.Handler;
import io.vertx.core.VertxException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the push server does with a request that fails before the push routes answer it: mostly a client that
 * went away mid-request (closed or reset while its headers or body were still coming, or a client that gave up
 * waiting), or a body over the server's own limit. Without a failure handler on the router, Vert.x Web logs each
 * such failure as "Unhandled exception in router" at ERROR, with a stack trace: any slow or dropped client on the
 * push port, which faces the internet through a proxy, would fill the log with errors that are no fault of the
 * relay. A client that went away gets one DEBUG line; any other failure still gets an ERROR with its stack trace
 * and a bare 500 (no detail).
 */
final class PushServerFailures implements Handler<RoutingContext> {

    private static final Logger LOG = LoggerFactory.getLogger(PushServerFailures.class);

    /** Installs on the main server's router (the push port), not the management server's. */
    static void install(CamelContext camel) {
        Set<VertxPlatformHttpRouter> routers = Collections.newSetFromMap(new IdentityHashMap<>());
        routers.addAll(camel.getRegistry().findByType(VertxPlatformHttpRouter.class));
        PushServerFailures handler = new PushServerFailures();
        for (VertxPlatformHttpRouter router : routers) {
            if (router.isMainServer()) {
                // last of all routes: a failure goes on to the routes after the one that failed, and a route
                // without a request handler is skipped while nothing failed
                router.route().order(Integer.MAX_VALUE).failureHandler(handler);
            }
        }
    }

    /** A failure caused by the client leaving: its connection closed or reset, or the answer could not be sent. */
    static boolean clientWentAway(Throwable failure, boolean connectionClosed) {
        if (connectionClosed) {
            return true;
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HttpClosedException || t instanceof IOException) {
                return true;
            }
            if (t instanceof VertxException && "Connection was closed".equals(t.getMessage())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void handle(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        boolean closed = ctx.response().closed();
        if (clientWentAway(failure, closed)) {
            LOG.debug("push request from {} ended by the client: {}", ctx.request().remoteAddress(),
                    failure == null ? "connection closed" : failure.toString());
        } else if (failure != null) {
            LOG.error("push request to {} failed before the push routes answered it", ctx.request().path(), failure);
        } else {
            // a status without an exception (e.g. a body over the server's limit): the answer says it all
            LOG.debug("push request to {} answered {} by the HTTP server", ctx.request().path(), ctx.statusCode());
        }
        if (!closed && !ctx.response().ended()) {
            int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
            ctx.response().setStatusCode(status).end();
        }
    }
}
