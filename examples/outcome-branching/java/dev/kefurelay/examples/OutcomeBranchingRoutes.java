package dev.kefurelay.examples;

import java.util.Map;

import dev.kefurelay.KefuRelay;
import org.apache.camel.builder.RouteBuilder;

/**
 * Example: a Java DSL route that tells a customer their payment arrived through the {@code wechat-kefu-sink}
 * Kamelet and acts on the outcome:
 * <ul>
 * <li>delivered (or a duplicate of a delivered message): done;</li>
 * <li>WeChat cannot reach the customer (43004 not following the account; {@code window-closed}: outside the
 *     customer's 48-hour window, which a message's own {@code fallback} template would cover): a retry will not
 *     help, so fall back to another channel ({@code example.fallback-uri}, e.g. SMS);</li>
 * <li>anything else: to the team's failure queue ({@code example.failed-uri}) with kefu-relay's reason.</li>
 * </ul>
 * Run it against the sandbox: {@code mvn -q test-compile exec:java -Dexec.classpathScope=test
 * -Dmain.class=dev.kefurelay.examples.OutcomeBranchingRoutes}
 */
public class OutcomeBranchingRoutes extends RouteBuilder {

    public static final String PAYMENT_RECEIVED = "direct:payment-received";

    @Override
    public void configure() {
        from(PAYMENT_RECEIVED).routeId("example-payment-received")
            .setHeader("KefuToUser", header("openid"))
            .setBody(simple("我们已收到您的付款 ¥${header.amount}（订单 ${header.orderNo}），谢谢！"))
            .to("kamelet:wechat-kefu-sink?kfAccount=billing@gh_shop")
            .choice()
                .when(header("KefuOutcome").in("delivered", "duplicate"))
                    .log("order ${header.orderNo}: customer told on WeChat")
                .when(simple("${header.KefuReason} == 'window-closed' || ${header.KefuErrcode} == 43004"))
                    .log("order ${header.orderNo}: not reachable on WeChat (${header.KefuErrmsg}), falling back")
                    .to("{{example.fallback-uri:log:example.fallback}}")
                .otherwise()
                    .log("order ${header.orderNo}: WeChat message failed: ${header.KefuReason} ${header.KefuErrmsg}")
                    .to("{{example.failed-uri:log:example.failed}}")
            .end();
    }

    /** Starts the relay with the sandbox, adds this route and sends one notification. */
    public static void main(String[] args) throws Exception {
        try (KefuRelay relay = KefuRelay.start(Map.of("kefu.sandbox", "true", "kefu.broker.port", "0",
                "kefu.http.port", "0"))) {
            relay.camel().addRoutes(new OutcomeBranchingRoutes());
            Object outcome = relay.template().requestBodyAndHeaders(PAYMENT_RECEIVED, null,
                    Map.of("openid", "oUserOpenId000000000000001", "amount", "128.00", "orderNo", "A-1003"));
            System.out.println("outcome: " + outcome);
        }
    }
}
