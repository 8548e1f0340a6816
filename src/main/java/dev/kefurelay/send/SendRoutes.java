package dev.kefurelay.send;

import java.util.List;

import dev.kefurelay.message.KefuMessage;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.jackson.JacksonDataFormat;
import org.apache.camel.model.LoadBalanceDefinition;
import org.apache.camel.model.RouteDefinition;

/**
 * The core flow: {@code direct:kefu-send} reads and checks a message, delivers it with retries, and records
 * the outcome. Every edge (files, JMS, other routes) calls it.
 */
public final class SendRoutes extends RouteBuilder {

    public static final String SEND = "direct:kefu-send";
    public static final String DELIVER = "direct:kefu-deliver";
    public static final String ATTEMPT = "direct:kefu-attempt";
    public static final String TOKEN = "direct:kefu-token";

    private final SendSteps steps;
    private final Outcomes outcomes;
    private final RetryPolicy retry;
    private final List<String> baseUrls;

    public SendRoutes(SendSteps steps, Outcomes outcomes, RetryPolicy retry, List<String> baseUrls) {
        this.steps = steps;
        this.outcomes = outcomes;
        this.retry = retry;
        this.baseUrls = baseUrls;
    }

    @Override
    public void configure() {
        // doTry, not onException(handled): a handled exception would also stop the caller's route, and the
        // edges must go on to dead-letter a failure.
        from(SEND).routeId("kefu-send")
            // kept as handed over (text or bytes, and the JMS message), so a dead letter is the original
            .process(Outcomes::keepInput)
            .doTry()
                // read decodes the body itself: bytes strictly as UTF-8
                .process(steps::read)
                .process(steps::checkAccount)
                .process(steps::claimId)
                .choice()
                    .when(steps::isDuplicate)
                        .process(outcomes::duplicate)
                    .otherwise()
                        .process(steps::checkQuota)
                        .marshal(new JacksonDataFormat(KefuMessage.class))
                        .convertBodyTo(String.class, "UTF-8")
                        .setProperty(KefuHeaders.PAYLOAD, body())
                        .to(DELIVER)
                        .process(outcomes::delivered)
                .end()
            .endDoTry()
            .doCatch(Exception.class)
                .process(outcomes::failed)
            .end();

        // Whole attempts are retried: redelivery repeats the failed step, and here that step is the attempt.
        from(DELIVER).routeId("kefu-deliver")
            // One clause for every send failure: a permanent one met during retries must end them too.
            .onException(SendFailedException.class)
                .retryWhile(retry::shouldRetry)
                .redeliveryDelay(retry.delay().toMillis())
                .useExponentialBackOff().backOffMultiplier(2)
                .maximumRedeliveryDelay(retry.maxDelay().toMillis())
                .retryAttemptedLogLevel(LoggingLevel.INFO)
                .onRedelivery(outcomes::retrying)
                .logExhausted(false)
            .end()
            .to(ATTEMPT);

        from(ATTEMPT).routeId("kefu-attempt").errorHandler(noErrorHandler())
            .to(TOKEN)
            .process(steps::post)
            .filter(steps::tokenRejected)
                .process(steps::rejectToken)
                .to(TOKEN)
                .process(steps::post)
            .end()
            .process(steps::judge);

        from(TOKEN).routeId("kefu-token").errorHandler(noErrorHandler())
            .process(steps::fetchToken);

        RouteDefinition api = from(WeChatApi.ENDPOINT).routeId("kefu-wechat-api").errorHandler(noErrorHandler());
        if (baseUrls.size() == 1) {
            api.to(httpUri(baseUrls.get(0)));
        } else {
            // next host only when no connection could be made: then WeChat cannot have seen the request
            LoadBalanceDefinition failover = api.loadBalance()
                    .failover(baseUrls.size() - 1, false, false, WeChatApi.NOT_CONNECTED);
            baseUrls.forEach(url -> failover.to(httpUri(url)));
            failover.end();
        }
    }

    private static String httpUri(String baseUrl) {
        return baseUrl + "?throwExceptionOnFailure=false";
    }
}
