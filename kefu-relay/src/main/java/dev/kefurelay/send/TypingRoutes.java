package dev.kefurelay.send;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

/**
 * {@code direct:kefu-typing}: shows or hides "typing…" for a user. Body
 * {@code {"touser":…,"command":"Typing"|"CancelTyping"}}; header {@code KefuAppId} (or {@code appid} in the body)
 * picks the account, as for kefu-send. Returns the outcome JSON and header {@code KefuOutcome}, like kefu-send.
 *
 * <p>It goes through the same attempt as a message ({@code direct:kefu-attempt}: cached token, a rejected token
 * renewed and the call made once more) but not through the backoff retries: a typing indicator that shows up
 * seconds late is worse than none, so a busy WeChat simply fails it.
 */
public final class TypingRoutes extends RouteBuilder {

    public static final String TYPING = "direct:kefu-typing";

    private final SendSteps steps;

    public TypingRoutes(SendSteps steps) {
        this.steps = steps;
    }

    @Override
    public void configure() {
        from(TYPING).routeId("kefu-typing")
            .doTry()
                .convertBodyTo(String.class, "UTF-8")
                .process(steps::readTyping)
                .to(SendRoutes.ATTEMPT)
                .process(exchange -> Outcomes.write(exchange.getMessage(), Outcome.delivered()))
            .endDoTry()
            .doCatch(Exception.class)
                .process(TypingRoutes::failed)
            .end();
    }

    private static void failed(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        SendFailedException failure = Outcomes.asFailure(e);
        // there were no retries, so a retryable failure is simply WeChat's refusal (or no connection)
        Reason reason = failure instanceof RetryableSendException ? Reason.WECHAT_ERROR : failure.reason();
        Outcomes.write(exchange.getMessage(), Outcome.failed(new SendFailedException(reason, failure.errcode(),
                failure.errmsg())));
    }
}
