package dev.kefurelay.component;

import static dev.kefurelay.util.Strings.blankToNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.kefurelay.push.InboundMessage;
import dev.kefurelay.push.PlatformEvent;
import dev.kefurelay.push.PushReceivers;
import dev.kefurelay.push.PushXml;
import dev.kefurelay.push.RecentPushes;
import dev.kefurelay.token.AuthorizerUpdate;
import dev.kefurelay.wechat.RetryableSendException;
import dev.kefurelay.wechat.SendFailedException;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code from("wechat-kefu:push")}: WeChat's pushes on the HTTP server the application already runs, through Camel's
 * platform-http (camel-main's Vert.x server, Spring Boot's, Quarkus's). It listens on the endpoint's {@code path}
 * (and, in component mode, the platform's {@code componentPath}) and answers each request with {@link PushHttp}, the
 * same checks as kefu-relay's push server. A user's message or event passes through {@link PushIntake} (the window
 * book, the template report's id), then becomes an exchange of the route: body the inbound JSON, the Kefu* headers;
 * WeChat is answered {@code success} once the route processed it without an exception, else 503, and pushes it again.
 * WeChat's tries of a push the route has processed are answered without a second exchange ({@link RecentPushes}). A
 * platform's events change the component's state and are not routed.
 */
public class WeChatKefuPushConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(WeChatKefuPushConsumer.class);

    private final RecentPushes recent = new RecentPushes(Ticker.systemTicker());
    private final PushCounts counts = new PushCounts();
    private final PushHttp http = new PushHttp(counts);
    private final List<Consumer> listening = new ArrayList<>();
    private volatile PushReceivers receivers;
    private PushPath accountPath;
    /** The account of a path without {appid}; null when the path names it. */
    private String pathAppid;
    private PushIntake intake;

    public WeChatKefuPushConsumer(WeChatKefuEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public WeChatKefuEndpoint getEndpoint() {
        return (WeChatKefuEndpoint) super.getEndpoint();
    }

    /** The keys and replay window this consumer checks with, once started; for its health check. */
    PushReceivers receivers() {
        return receivers;
    }

    PushCounts counts() {
        return counts;
    }

    /** Whether every platform-http consumer it listens with runs. */
    boolean listening() {
        return isStarted() && !listening.isEmpty() && listening.stream().allMatch(ServiceHelper::isStarted);
    }

    List<String> paths() {
        WeChatKefuConfiguration config = getEndpoint().getConfiguration();
        PushReceivers r = receivers;
        return r != null && r.component() ? List.of(config.getPath(), config.getComponentPath())
                : List.of(config.getPath());
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        WeChatKefuComponent component = getEndpoint().getComponent();
        WeChatKefuConfiguration config = getEndpoint().getConfiguration();
        receivers = PushKeys.receivers(component.getConfiguration(), config, component.getOptionNames());
        accountPath = PushPath.of(requirePath("path", config.getPath()));
        pathAppid = accountPath.namesAppid() ? null : pathAppid(component, config);
        intake = new PushIntake(component);
        PushConsumerHealthCheck check = new PushConsumerHealthCheck(this, getRouteId());
        check.setEnabled(component.isHealthCheckConsumerEnabled());
        setHealthCheck(check);
        try {
            listening.add(listen(config.getPath(), this::accountRequest));
            if (receivers.component()) {
                listening.add(listen(requirePath("componentPath", config.getComponentPath()), this::platformRequest));
            }
        } catch (Exception e) {
            // a path that did start must not keep answering for a route that did not
            ServiceHelper.stopAndShutdownServices(listening);
            listening.clear();
            throw e;
        }
        LOG.info("WeChat's pushes received on {} ({}); replay window {}", String.join(" and ", paths()),
                receivers.component() ? "platform " + receivers.ownAppid() : "accounts "
                        + (pathAppid == null ? receivers.appids() : List.of(pathAppid)),
                receivers.replay().window().isZero() ? "off" : receivers.replay().window().toSeconds() + "s");
    }

    @Override
    protected void doStop() throws Exception {
        List<Consumer> stopping = new ArrayList<>(listening);
        listening.clear();
        ServiceHelper.stopAndShutdownServices(stopping);
        super.doStop();
    }

    private static String requirePath(String option, String path) {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("wechat-kefu:push: " + option + " must be a path starting with /, not '"
                    + path + "'");
        }
        return path;
    }

    private String pathAppid(WeChatKefuComponent component, WeChatKefuConfiguration config) {
        String appid = blankToNull(config.getAppid());
        if (appid == null && !receivers.component()) {
            appid = blankToNull(component.getConfiguration().getAppid());
        }
        if (appid == null) {
            throw new IllegalArgumentException("wechat-kefu:push: path '" + config.getPath() + "' has no {appid}: set "
                    + "the endpoint's appid (the account whose pushes come there)");
        }
        return appid;
    }

    /** A platform-http consumer on the path, with the application's HTTP server. */
    private Consumer listen(String path, Processor requests) throws Exception {
        CamelContext camel = getEndpoint().getCamelContext();
        if (camel.getComponent("platform-http") == null) {
            throw new IllegalStateException("wechat-kefu:push receives on Camel's platform-http, which is not on the "
                    + "classpath: add camel-platform-http-main (camel-main), camel-platform-http-starter (Spring Boot) "
                    + "or camel-quarkus-platform-http (Quarkus)");
        }
        Endpoint endpoint = camel.getEndpoint("platform-http:" + path + "?httpMethodRestrict=GET,POST");
        Consumer consumer = endpoint.createConsumer(requests);
        try {
            ServiceHelper.startService(consumer);
        } catch (Exception e) {
            throw new IllegalStateException("wechat-kefu:push could not listen on " + path + " with platform-http ("
                    + e.getMessage() + "); camel-main starts its HTTP server with camel.server.enabled=true", e);
        }
        return consumer;
    }

    private void accountRequest(Exchange request) {
        String appid = pathAppid != null ? pathAppid
                : accountPath.appid(request.getIn().getHeader(Exchange.HTTP_URI, String.class));
        // the path is the caller's: only an appid's letters reach the log
        String scope = PushReceivers.APPID.matcher(appid).matches() ? appid : "a path that is no appid";
        http.answer(request, "account", scope, receivers.account(appid), fields -> userPush(appid, fields));
    }

    private void platformRequest(Exchange request) {
        http.answer(request, "component", "component", receivers.platform(), this::platformEvent);
    }

    private void userPush(String appid, Map<String, Object> fields) throws Exception {
        PushIntake.UserPush push = intake.userPush(appid, fields);
        String key = push.message().dedupeKey();
        switch (recent.claim(key)) {
            case DONE -> {
                LOG.debug("a push to {} came again (WeChat's retry); answered as handled before", appid);
                return;
            }
            case IN_HAND -> throw new PushHttp.TryLater("another try of the same push is in the route still");
            default -> {
                // claimed: ours to route
            }
        }
        boolean routed = false;
        try {
            route(push);
            routed = true;
        } finally {
            if (routed) {
                recent.done(key);
            } else {
                recent.release(key);
            }
        }
    }

    /** The push as an exchange of the route, processed on this thread (the HTTP server waits for it anyway). */
    private void route(PushIntake.UserPush push) throws Exception {
        InboundMessage message = push.message();
        Exchange exchange = createExchange(false);
        try {
            Message in = exchange.getIn();
            in.setBody(message.toJson());
            in.setHeader(KefuHeaders.APP_ID, message.appid());
            in.setHeader(KefuHeaders.OPEN_ID, message.openid());
            in.setHeader(KefuHeaders.MSG_TYPE, message.type());
            in.setHeader(KefuHeaders.ACCOUNT_KIND, message.kind().wireName());
            in.setHeader(KefuHeaders.INTERACTION, push.interactionName());
            in.setHeader(KefuHeaders.PUSH_ID, message.dedupeKey());
            String event = PushXml.text(message.fields(), "Event");
            if (event != null) {
                in.setHeader(KefuHeaders.EVENT, event);
            }
            if (message.messageId() != null) {
                in.setHeader(KefuHeaders.MESSAGE_ID, message.messageId());
            }
            getProcessor().process(exchange);
            if (exchange.getException() != null) {
                throw exchange.getException();
            }
            if (exchange.isRollbackOnly() || exchange.isRollbackOnlyLast()) {
                throw new IllegalStateException("the route marked the exchange for rollback");
            }
            LOG.debug("{} from a user of {} routed", message.type(), message.appid());
        } finally {
            releaseExchange(exchange, false);
        }
    }

    /** A platform's event: its ticket stored, its authorization applied; once per event, WeChat's tries counted. */
    private void platformEvent(Map<String, Object> fields) {
        PlatformEvent event = intake.platformEvent(receivers.ownAppid(), fields);
        Optional<AuthorizerUpdate> update = PushIntake.authorizerUpdate(event);
        if (update.isEmpty()) {
            if (!event.isTicket()) {
                LOG.info("platform event {} received; it changes nothing here and is not routed", event.infoType());
            }
            return;
        }
        String key = event.dedupeKey();
        switch (recent.claim(key)) {
            case DONE -> {
                return;
            }
            case IN_HAND -> throw new PushHttp.TryLater("another try of the same event is being applied");
            default -> {
                // claimed
            }
        }
        boolean applied = false;
        try {
            String authorizer = intake.apply(update.get());
            LOG.info("platform event {} for authorizer {} applied", event.infoType(), authorizer);
            applied = true;
        } catch (SendFailedException e) {
            if (e instanceof RetryableSendException) {
                throw e;
            }
            // WeChat refused the code (used, expired): no try of this push can pass
            LOG.warn("platform event {} for authorizer {} refused by WeChat: {}", event.infoType(), event.authorizer(),
                    e.getMessage());
            applied = true;
        } finally {
            if (applied) {
                recent.done(key);
            } else {
                recent.release(key);
            }
        }
    }
}
