package dev.kefurelay.send;

import org.apache.camel.builder.RouteBuilder;

/**
 * {@code direct:kefu-typing}: shows or hides "typing…" for a user. Body
 * {@code {"touser":…,"command":"Typing"|"CancelTyping"}}; header {@code KefuAppId} (or {@code appid} in the body)
 * picks the account, as for kefu-send. Returns the outcome JSON and header {@code KefuOutcome}, like kefu-send.
 * The component makes the same attempt as for a message (cached token, a rejected one renewed and the call made
 * once more) but no backoff retries: a typing indicator that shows up seconds late is worse than none.
 */
public final class TypingRoutes extends RouteBuilder {

    public static final String TYPING = "direct:kefu-typing";

    @Override
    public void configure() {
        from(TYPING).routeId("kefu-typing")
            .to("wechat-kefu:typing?failure=outcome&synchronous=true");
    }
}
