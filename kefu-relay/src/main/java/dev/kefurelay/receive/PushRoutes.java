package dev.kefurelay.receive;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kefurelay.component.KefuHeaders;
import dev.kefurelay.component.WeChatKefuComponent;
import dev.kefurelay.config.KefuSettings;
import dev.kefurelay.config.SettingGroups;
import dev.kefurelay.push.InboundMessage;
import dev.kefurelay.push.PushReceiver;
import dev.kefurelay.push.PushRefusedException;
import dev.kefurelay.push.PushXml;
import dev.kefurelay.send.ComponentRoutes;
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
 * users' messages and events). GET answers WeChat's URL verification only (fresh, once per nonce, an echostr
 * and never a push's content), every refusal alike; POST is checked (signature, replay window, decryption,
 * appid) and answered {@code success} only once what it carries is stored or on a queue: a ticket in the store;
 * an authorization on queue {@code kefu.authorizers} (its consumer calls {@code api_query_auth}); a user's
 * message on {@code kefu.push.queue}. A refused push gets a 4xx naming only the kind of refusal and one WARN
 * line saying why, and changes nothing. No log line holds a push's content.
 */
public final class PushRoutes extends RouteBuilder {

    public static final String COMPONENT_PATH = "/wechat/component";
    public static final String ACCOUNTS_PATH = "/wechat/accounts";
    /** Artemis's duplicate detection: a second message with the same id on an address is dropped, durably. */
    static final String DUPLICATE_ID = "_AMQ_DUPL_ID";
    /** Fields of a platform event that are secrets: used by the relay, left out of the published event. */
    static final Set<String> SECRET_FIELDS = Set.of("ComponentVerifyTicket", "AuthorizationCode", "PreAuthCode");

    /** Properties of a message on the inbound queue, for selectors and routing without reading the body. */
    public static final String OPEN_ID = "KefuOpenId";
    public static final String MSG_TYPE = "KefuMsgType";
    /** On a template message's delivery report: the id of the message it carried. */
    public static final String MESSAGE_ID = "KefuMessageId";
    /** WeChat's report of a template message's final delivery. */
    static final String TEMPLATE_FINISHED = "TEMPLATESENDJOBFINISH";
    /** The receiving account's kind: official or miniprogram. */
    public static final String ACCOUNT_KIND = "KefuAccountKind";

    /** The one answer to every refused URL verification. */
    static final int VERIFICATION_REFUSED = 403;

    private static final Logger LOG = LoggerFactory.getLogger(PushRoutes.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.util.regex.Pattern APPID = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final PushEndpoints endpoints;
    private final String inboundQueue;
    private final String eventsTopic;
    private ProducerTemplate template;
    /** the window book and the store, read once the component runs */
    private WeChatKefuComponent wechat;
    /** kefu_pushes_total{endpoint, result}; none when the application bound no registry */
    private MeterRegistry registry;

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
        wechat = getContext().getComponent("wechat-kefu", WeChatKefuComponent.class);
        registry = getContext().getRegistry().lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME,
                MeterRegistry.class);
        // the push server's router exists once Camel started its services, before it takes requests
        try {
            getContext().addStartupListener((camel, alreadyStarted) -> PushServerFailures.install(camel));
        } catch (Exception e) {
            throw new IllegalStateException("cannot watch the push server's start", e);
        }
        if (endpoints.componentMode()) {
            from("platform-http:" + COMPONENT_PATH + "?httpMethodRestrict=GET,POST").routeId("kefu-push-component")
                .process(exchange -> answer(exchange, "component", "component", endpoints.platform(), this::platformEvent));
        }
        from("platform-http:" + ACCOUNTS_PATH + "/{appid}?httpMethodRestrict=GET,POST").routeId("kefu-push-accounts")
            .process(exchange -> {
                String appid = PushRequests.lastSegment(exchange);
                // the path is the caller's: only an appid's letters reach the log
                String scope = APPID.matcher(appid).matches() ? appid : "a path that is no appid";
                answer(exchange, "account", scope, endpoints.account(appid), fields -> userMessage(appid, fields));
            });
    }

    /** What a push that passed every check becomes: stored or queued, or an exception (then not answered success). */
    @FunctionalInterface
    private interface Handler {
        void handle(Map<String, Object> fields);
    }

    private void answer(Exchange exchange, String endpoint, String scope, Optional<PushReceiver> receiver,
            Handler handler) {
        Map<String, String> query = PushRequests.query(exchange.getMessage().getHeader(Exchange.HTTP_QUERY, String.class));
        boolean get = "GET".equals(exchange.getMessage().getHeader(Exchange.HTTP_METHOD, String.class));
        byte[] body = exchange.getIn().getBody(byte[].class);
        // the request's headers (query parameters among them) are not the answer's
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
        if (get) {
            verify(exchange, endpoint, scope, receiver, query, body);
            return;
        }
        if (receiver.isEmpty()) {
            LOG.warn("push to {} refused: no push keys are configured for it", scope);
            reply(exchange, 404, "no push endpoint for " + scope);
            count(endpoint, "unknown_appid");
            return;
        }
        try {
            Map<String, Object> fields = receiver.get().receive(query, body == null ? new byte[0] : body);
            handler.handle(fields);
            receiver.get().taken(query);
            reply(exchange, 200, "success");
            count(endpoint, "success");
        } catch (PushRefusedException e) {
            LOG.warn("push to {} refused ({} {}): {}", scope, e.status(), e.why(), e.getMessage());
            // the kind only: the log says what was wrong, the caller learns nothing about the keys or the clock
            reply(exchange, e.status(), "refused: " + e.why().name().toLowerCase(java.util.Locale.ROOT));
            count(endpoint, e.why().name().toLowerCase(java.util.Locale.ROOT));
        } catch (Exception e) {
            // not stored: WeChat retries (three times in all), and the retry is taken, its nonce not being used
            LOG.error("push to {} not stored, answered 503 for WeChat to retry: {}", scope, e.toString());
            reply(exchange, 503, "not stored, try again");
            count(endpoint, "not_stored");
        }
    }

    /**
     * WeChat's URL verification. Every refusal gets the same answer, whatever failed (no keys for the appid, a
     * signature, a stale timestamp, a used nonce, an echostr that is a push): a GET must not become an oracle for
     * what the relay holds. The log line says why.
     */
    private void verify(Exchange exchange, String endpoint, String scope, Optional<PushReceiver> receiver,
            Map<String, String> query, byte[] body) {
        try {
            if (receiver.isEmpty()) {
                LOG.warn("URL verification of {} refused: no push keys are configured for it", scope);
                count(endpoint, "unknown_appid");
            } else {
                reply(exchange, 200, receiver.get().verify(query, body));
                LOG.info("push URL of {} verified by WeChat", scope);
                count(endpoint, "verified");
                return;
            }
        } catch (PushRefusedException e) {
            LOG.warn("URL verification of {} refused ({}): {}", scope, e.why(), e.getMessage());
            count(endpoint, e.why().name().toLowerCase(java.util.Locale.ROOT));
        }
        reply(exchange, VERIFICATION_REFUSED, "refused");
    }

    /** Tagged by endpoint kind, not appid: a path may name any appid, and each must not cost a meter. */
    private void count(String endpoint, String result) {
        if (registry != null) {
            registry.counter("kefu.pushes", "endpoint", endpoint, "result", result).increment();
        }
    }

    private void platformEvent(Map<String, Object> fields) {
        String infoType = PushXml.text(fields, "InfoType");
        String appid = PushXml.text(fields, "AppId");
        if (appid != null && !appid.equals(endpoints.ownAppid())) {
            throw new PushRefusedException(PushRefusedException.Why.BAD_RECEIVE_ID,
                    "the event names platform '" + appid + "', this relay is '" + endpoints.ownAppid() + "'");
        }
        String authorizer = PushXml.text(fields, "AuthorizerAppid");
        String createTime = PushXml.text(fields, "CreateTime");
        switch (infoType == null ? "" : infoType) {
            case "component_verify_ticket" -> ticket(PushXml.text(fields, "ComponentVerifyTicket"), createTime);
            case "authorized", "updateauthorized" -> authorizerUpdate(infoType, authorizer, createTime,
                    JSON.createObjectNode().put("authorizer_appid", authorizer)
                            .put("authorization_code", required(fields, "AuthorizationCode")));
            case "unauthorized" -> authorizerUpdate(infoType, authorizer, createTime,
                    JSON.createObjectNode().put("authorizer_appid", authorizer).put("withdrawn", millis(createTime)));
            // e.g. notify_third_fasteregister: the user's flows get it on the events topic
            default -> LOG.info("platform event {} received; published on {} only", infoType, eventsTopic);
        }
        ObjectNode event = JSON.createObjectNode().put("appid", appid).put("info_type", infoType);
        Map<String, Object> published = new LinkedHashMap<>(fields);
        published.keySet().removeAll(SECRET_FIELDS);
        event.set("fields", JSON.valueToTree(published));
        // for the user's own flows; a topic: without a subscriber nothing piles up
        Exchange sent = template.send("jms:topic:" + eventsTopic + "?disableReplyTo=true", ExchangePattern.InOnly, e -> {
            e.getMessage().setBody(event.toString());
            e.getMessage().setHeader("KefuInfoType", infoType);
        });
        if (sent.getException() != null) {
            throw new IllegalStateException("not published on " + eventsTopic + ": " + sent.getException().getMessage());
        }
    }

    private void ticket(String ticket, String createTime) {
        if (ticket == null || ticket.isEmpty()) {
            throw new PushRefusedException(PushRefusedException.Why.MALFORMED,
                    "component_verify_ticket event without ComponentVerifyTicket");
        }
        // the same path as queue kefu.component.ticket: stored before the answer, unless a newer one is stored
        Exchange result = template.request(ComponentRoutes.TICKET, e -> {
            e.getMessage().setBody(ticket);
            e.getMessage().setHeader(ComponentRoutes.TICKET_CREATE_TIME, createTime);
        });
        if (result.getException() != null) {
            throw new IllegalStateException("ticket not stored: " + result.getException().getMessage());
        }
        if ("failed".equals(result.getMessage().getHeader(KefuHeaders.OUTCOME))) {
            throw new PushRefusedException(PushRefusedException.Why.MALFORMED, "the pushed ticket was refused");
        }
    }

    /** On queue kefu.authorizers, in order with the other updates; WeChat's retries of one event dropped there. */
    private void authorizerUpdate(String infoType, String authorizer, String createTime, ObjectNode update) {
        if (authorizer == null || authorizer.isEmpty()) {
            throw new PushRefusedException(PushRefusedException.Why.MALFORMED, infoType + " event without AuthorizerAppid");
        }
        Exchange sent = template.send("jms:queue:" + ComponentRoutes.AUTHORIZERS_QUEUE + "?disableReplyTo=true",
                ExchangePattern.InOnly, e -> {
                    e.getMessage().setBody(update.toString());
                    e.getMessage().setHeader(DUPLICATE_ID, "push:" + infoType + ":" + authorizer + ":" + createTime);
                });
        if (sent.getException() != null) {
            throw new IllegalStateException("not queued on " + ComponentRoutes.AUTHORIZERS_QUEUE + ": "
                    + sent.getException().getMessage());
        }
        LOG.info("platform event {} for authorizer {} queued on {}", infoType, authorizer, ComponentRoutes.AUTHORIZERS_QUEUE);
    }

    /**
     * A user's message or event: the window it opens recorded in the window book (before the answer: a book that
     * cannot be written makes WeChat push it again), then on the inbound queue. A template message's delivery report
     * (TEMPLATESENDJOBFINISH) gets the id of the message it carried, so that the operator can join the two.
     */
    private void userMessage(String appid, Map<String, Object> fields) {
        // the same fields whether the push came as XML or (a Mini Program's) JSON; the kind says whose rules apply
        InboundMessage pushed = new InboundMessage(appid, endpoints.kind(appid), fields);
        if (pushed.openid() == null || pushed.type() == null) {
            throw new PushRefusedException(PushRefusedException.Why.MALFORMED,
                    "a message push needs FromUserName and MsgType");
        }
        wechat.windows().record(appid, fields);
        InboundMessage message = pushed.withMessageId(sentMessageId(appid, fields));
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

    /** The id of the message a template's delivery report is about, when the store still has it. */
    private String sentMessageId(String appid, Map<String, Object> fields) {
        if (!TEMPLATE_FINISHED.equals(PushXml.text(fields, "Event"))) {
            return null;
        }
        String msgid = PushXml.text(fields, "MsgID");
        return msgid == null || msgid.isEmpty() ? null : wechat.store().messageIdOf(appid, msgid).orElse(null);
    }

    private static String required(Map<String, Object> fields, String name) {
        String value = PushXml.text(fields, name);
        if (value == null || value.isEmpty()) {
            throw new PushRefusedException(PushRefusedException.Why.MALFORMED, "the event has no " + name);
        }
        return value;
    }

    private static long millis(String createTime) {
        try {
            return Long.parseLong(createTime) * 1000;
        } catch (NumberFormatException | NullPointerException e) {
            return Instant.now().toEpochMilli();
        }
    }

    private static void reply(Exchange exchange, int status, String body) {
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setBody(body);
    }
}
