package dev.kefurelay.send;

import java.time.Instant;

import dev.kefurelay.broker.DeadLetterRoutes;
import dev.kefurelay.component.KefuHeaders;
import dev.kefurelay.component.LogValues;
import dev.kefurelay.component.Outcome;
import dev.kefurelay.component.Outcomes;
import dev.kefurelay.component.WeChatKefuComponent;
import dev.kefurelay.message.InvalidMessageException;
import dev.kefurelay.message.UnreadableInput;
import dev.kefurelay.token.AuthorizerUpdate;
import dev.kefurelay.token.TokenSources;
import dev.kefurelay.wechat.RetryableSendException;
import dev.kefurelay.wechat.SendFailedException;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inputs of component mode: {@code direct:kefu-component-ticket} (body: the ticket; header
 * {@value #TICKET_CREATE_TIME}: when WeChat made it) and
 * {@code direct:kefu-authorizers} (body: {@code {"authorizer_appid":…,"authorizer_refresh_token":…}}; or, from
 * WeChat's authorization pushes, {@code {"authorizer_appid":…,"authorization_code":…}} exchanged through
 * {@code api_query_auth}, and {@code {"authorizer_appid":…,"withdrawn":<epoch ms>}} when it withdrew). The JMS
 * queues of the same names reach them through routes/component.camel.yaml. Bad input ends as a failed outcome
 * (KefuOutcome, KefuReason invalid-input, KefuErrmsg) for the JMS edge to dead-letter; texts never hold a value.
 */
public final class ComponentRoutes extends RouteBuilder {

    public static final String TICKET = "direct:kefu-component-ticket";
    public static final String AUTHORIZERS = "direct:kefu-authorizers";
    public static final String TICKET_QUEUE = "kefu.component.ticket";
    /**
     * When WeChat made the ticket, epoch seconds (its push's {@code CreateTime}); optional on the queue, absent means
     * the time it is handled. Relays keep the newest by this time, whichever order they handle pushes in.
     */
    public static final String TICKET_CREATE_TIME = "KefuTicketCreateTime";
    public static final String AUTHORIZERS_QUEUE = "kefu.authorizers";

    private static final Logger LOG = LoggerFactory.getLogger(ComponentRoutes.class);

    private final WeChatKefuComponent wechat;

    /** @param wechat the component whose platform inputs these are; asked at each message (it starts later) */
    public ComponentRoutes(WeChatKefuComponent wechat) {
        this.wechat = wechat;
    }

    @Override
    public void configure() {
        // Bad input cannot pass on redelivery: it is answered at once as a failed outcome, which the JMS edge
        // dead-letters like a bad outbound message. Store failures may pass: they are thrown, and roll back.
        from(TICKET).routeId("kefu-component-ticket")
            .process(DeadLetterRoutes::keepInput)
            .doTry()
                .process(ComponentRoutes::readable)
                .convertBodyTo(String.class, "UTF-8")
                .process(this::ticket)
                .process(ComponentRoutes::accepted)
            .doCatch(InvalidMessageException.class)
                .process(ComponentRoutes::refused)
            .end();

        from(AUTHORIZERS).routeId("kefu-authorizers")
            .process(DeadLetterRoutes::keepInput)
            .doTry()
                .process(ComponentRoutes::readable)
                .convertBodyTo(String.class, "UTF-8")
                .process(this::authorizer)
                .process(ComponentRoutes::accepted)
            .doCatch(InvalidMessageException.class)
                .process(ComponentRoutes::refused)
            // WeChat refused an authorization code (used, expired): redelivery cannot pass, a dead letter says why;
            // a retryable failure (network, busy) is thrown on, rolled back and redelivered
            .doCatch(SendFailedException.class)
                .onWhen(exchange -> !(exchange.getProperty(Exchange.EXCEPTION_CAUGHT) instanceof RetryableSendException))
                .process(ComponentRoutes::refused)
            .end();
    }

    /** A JMS message the relay's consumer could not read (a MapMessage, say) is bad input like any other. */
    private static void readable(Exchange exchange) {
        if (exchange.getMessage().getBody() instanceof UnreadableInput unreadable) {
            throw new InvalidMessageException(unreadable.why());
        }
    }

    private void ticket(Exchange exchange) {
        String ticket = exchange.getMessage().getBody(String.class);
        if (ticket == null || ticket.isBlank()) {
            throw new InvalidMessageException("a component_verify_ticket message must not be empty");
        }
        Object createTime = exchange.getMessage().getHeader(TICKET_CREATE_TIME);
        if (createTime == null) {
            platform().tickets().arrived(ticket, TICKET);
        } else {
            platform().tickets().arrived(ticket, TICKET, createdAt(createTime));
        }
    }

    private static Instant createdAt(Object createTime) {
        try {
            return Instant.ofEpochSecond(Long.parseLong(createTime.toString().strip()));
        } catch (NumberFormatException e) {
            throw new InvalidMessageException("header " + TICKET_CREATE_TIME + " '" + createTime
                    + "' is not a time in epoch seconds (WeChat's CreateTime)");
        }
    }

    /** The body held a secret: a caller's reply (requestBody, JMSReplyTo) gets the outcome instead. */
    private static void accepted(Exchange exchange) {
        exchange.getMessage().setBody(Outcome.delivered().toJson());
        exchange.getMessage().setHeader(KefuHeaders.OUTCOME, "accepted");
    }

    private static void refused(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        LOG.warn("refused on {}: {}", exchange.getFromEndpoint() == null ? "-" : exchange.getFromEndpoint().getEndpointBaseUri(),
                LogValues.oneLine(e.getMessage()));
        Outcomes.write(exchange.getMessage(), Outcome.failed(Outcomes.asFailure(e)));
    }

    /** The update's three forms and what each changes are the component's ({@link AuthorizerUpdate}). */
    private void authorizer(Exchange exchange) {
        AuthorizerUpdate.parse(exchange.getMessage().getBody(String.class)).applyTo(platform(), wechat.tokens());
    }

    private TokenSources.Platform platform() {
        return wechat.platform().orElseThrow(() -> new IllegalStateException("the wechat-kefu component is not in "
                + "token mode component"));
    }
}
