package dev.kefurelay.receive;

import java.util.Optional;

import dev.kefurelay.component.KefuHeaders;
import dev.kefurelay.component.PushHttp;
import dev.kefurelay.component.PushIntake;
import dev.kefurelay.component.PushPath;
import dev.kefurelay.component.WeChatKefuComponent;
import dev.kefurelay.config.KefuSettings;
import dev.kefurelay.config.SettingGroups;
import dev.kefurelay.push.InboundMessage;
import dev.kefurelay.push.PlatformEvent;
import dev.kefurelay.push.PushReceivers;
import dev.kefurelay.send.ComponentRoutes;
import dev.kefurelay.token.AuthorizerUpdate;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.micrometer.MicrometerConstants;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WeChat's pushes, on the push server ({@code kefu.push.port}): {@code /wechat/component} (the platform's
 * authorization events, mode component) and {@code /wechat/accounts/{appid}} (an account's or authorizer's
 * users' messages and events). The requests are answered by the component's {@link PushHttp} and what passed its
 * checks goes through the component's {@link PushIntake}, as in the component's own consumer
 * ({@code wechat-kefu:push}); what the relay adds is where it goes: answered {@code success} once it is stored or on a
 * queue: a ticket in the store; an authorization on queue {@code kefu.authorizers} (its consumer calls
 * {@code api_query_auth}); a user's message on {@code kefu.push.queue}; every platform event, without its secrets, on
 * {@code kefu.push.events-topic}. Counted in {@code kefu_pushes_total}.
 */
public final class PushRoutes extends RouteBuilder {

    public static final String COMPONENT_PATH = "/wechat/component";
    public static final String ACCOUNTS_PATH = "/wechat/accounts";
    /** Artemis's duplicate detection: a second message with the same id on an address is dropped, durably. */
    static final String DUPLICATE_ID = "_AMQ_DUPL_ID";

    /** Properties of a message on the inbound queue, for selectors and routing without reading the body. */
    public static final String OPEN_ID = KefuHeaders.OPEN_ID;
    public static final String MSG_TYPE = KefuHeaders.MSG_TYPE;
    /** On a template message's delivery report: the id of the message it carried. */
    public static final String MESSAGE_ID = KefuHeaders.MESSAGE_ID;
    /** The receiving account's kind: official or miniprogram. */
    public static final String ACCOUNT_KIND = KefuHeaders.ACCOUNT_KIND;

    private static final Logger LOG = LoggerFactory.getLogger(PushRoutes.class);
    private static final PushPath ACCOUNT_PATH = PushPath.of(ACCOUNTS_PATH + "/{appid}");

    private final PushEndpoints endpoints;
    private final String inboundQueue;
    private final String eventsTopic;
    private ProducerTemplate template;
    /** the component's handling of what passed the checks: window book, template report ids, tickets */
    private PushIntake intake;
    private PushHttp http;

    public PushRoutes(PushEndpoints endpoints, String inboundQueue, String eventsTopic) {
        this.endpoints = endpoints;
        this.inboundQueue = inboundQueue;
        this.eventsTopic = eventsTopic;
    }

    /** The push routes when kefu.push.port is set, else none. */
    public static Optional<PushRoutes> forSettings(KefuSettings settings) {
        SettingGroups.Push push = settings.push();
        if (!push.on()) {
            return Optional.empty();
        }
        PushEndpoints endpoints = PushEndpoints.from(settings);
        LOG.info("push endpoints on http://{}:{}: {}{}/{appid}; replay window {}", push.bind(), push.port(),
                endpoints.componentMode() ? COMPONENT_PATH + ", " : "", ACCOUNTS_PATH,
                push.maxAge().isZero() ? "off" : push.maxAge().toSeconds() + "s");
        return Optional.of(new PushRoutes(endpoints, push.queue(), push.eventsTopic()));
    }

    /** The queue the embedded broker must hold for the pushes: the inbound queue, when pushes are on. */
    public static java.util.List<String> queues(KefuSettings settings) {
        return settings.push().on() ? java.util.List.of(settings.push().queue()) : java.util.List.of();
    }

    @Override
    public void configure() {
        template = getContext().createProducerTemplate();
        intake = new PushIntake(getContext().getComponent("wechat-kefu", WeChatKefuComponent.class));
        http = http(getContext());
        // the push server's router exists once Camel started its services, before it takes requests
        try {
            getContext().addStartupListener((camel, alreadyStarted) -> PushServerFailures.install(camel));
        } catch (Exception e) {
            throw new IllegalStateException("cannot watch the push server's start", e);
        }
        if (endpoints.componentMode()) {
            from("platform-http:" + COMPONENT_PATH + "?httpMethodRestrict=GET,POST").routeId("kefu-push-component")
                .process(exchange -> http.answer(exchange, "component", "component", endpoints.platform(),
                        this::platformEvent));
        }
        from("platform-http:" + ACCOUNTS_PATH + "/{appid}?httpMethodRestrict=GET,POST").routeId("kefu-push-accounts")
            .process(exchange -> {
                String appid = ACCOUNT_PATH.appid(exchange.getIn().getHeader(Exchange.HTTP_URI, String.class));
                // the path is the caller's: only an appid's letters reach the log
                String scope = PushReceivers.APPID.matcher(appid).matches() ? appid : "a path that is no appid";
                http.answer(exchange, "account", scope, endpoints.account(appid), fields -> userMessage(appid, fields));
            });
    }

    /**
     * The answers of the push port's requests, WeChat's pushes and WeCom's callbacks alike, counted in
     * {@code kefu_pushes_total{endpoint, result}}; uncounted when the application bound no registry.
     */
    static PushHttp http(CamelContext camel) {
        MeterRegistry registry = camel.getRegistry().lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME,
                MeterRegistry.class);
        return new PushHttp(registry == null ? PushHttp.Results.NONE
                : (endpoint, result) -> registry.counter("kefu.pushes", "endpoint", endpoint, "result", result)
                        .increment());
    }

    /** A platform event: a ticket stored (by the intake), an authorization queued, every event published. */
    private void platformEvent(java.util.Map<String, Object> fields) {
        PlatformEvent event = intake.platformEvent(endpoints.ownAppid(), fields);
        Optional<AuthorizerUpdate> update = PushIntake.authorizerUpdate(event);
        if (update.isPresent()) {
            authorizerUpdate(event, update.get());
        } else if (!event.isTicket()) {
            // e.g. notify_third_fasteregister: the user's flows get it on the events topic
            LOG.info("platform event {} received; published on {} only", event.infoType(), eventsTopic);
        }
        // for the user's own flows; a topic: without a subscriber nothing piles up
        Exchange sent = template.send("jms:topic:" + eventsTopic + "?disableReplyTo=true", ExchangePattern.InOnly, e -> {
            e.getMessage().setBody(event.toJson());
            e.getMessage().setHeader("KefuInfoType", event.infoType());
        });
        if (sent.getException() != null) {
            throw new IllegalStateException("not published on " + eventsTopic + ": " + sent.getException().getMessage());
        }
    }

    /** On queue kefu.authorizers, in order with the other updates; WeChat's retries of one event dropped there. */
    private void authorizerUpdate(PlatformEvent event, AuthorizerUpdate update) {
        Exchange sent = template.send("jms:queue:" + ComponentRoutes.AUTHORIZERS_QUEUE + "?disableReplyTo=true",
                ExchangePattern.InOnly, e -> {
                    e.getMessage().setBody(update.toJson());
                    e.getMessage().setHeader(DUPLICATE_ID, event.dedupeKey());
                });
        if (sent.getException() != null) {
            throw new IllegalStateException("not queued on " + ComponentRoutes.AUTHORIZERS_QUEUE + ": "
                    + sent.getException().getMessage());
        }
        LOG.info("platform event {} for authorizer {} queued on {}", event.infoType(), update.appid(),
                ComponentRoutes.AUTHORIZERS_QUEUE);
    }

    /**
     * A user's message or event: through the intake (the window it opens recorded in the window book, a template
     * report joined with its message's id), then on the inbound queue.
     */
    private void userMessage(String appid, java.util.Map<String, Object> fields) {
        PushIntake.UserPush push = intake.userPush(appid, fields);
        InboundMessage message = push.message();
        Exchange sent = template.send("jms:queue:" + inboundQueue + "?disableReplyTo=true", ExchangePattern.InOnly, e -> {
            e.getMessage().setBody(message.toJson());
            if (message.messageId() != null) {
                e.getMessage().setHeader(MESSAGE_ID, message.messageId());
            }
            e.getMessage().setHeader(DUPLICATE_ID, message.dedupeKey());
            e.getMessage().setHeader(KefuHeaders.APP_ID, appid);
            e.getMessage().setHeader(OPEN_ID, message.openid());
            e.getMessage().setHeader(MSG_TYPE, message.type());
            e.getMessage().setHeader(ACCOUNT_KIND, message.kind().wireName());
        });
        if (sent.getException() != null) {
            throw new IllegalStateException("not queued on " + inboundQueue + ": " + sent.getException().getMessage());
        }
        LOG.info("{} from a user of {} queued on {}", message.type(), appid, inboundQueue);
    }
}
