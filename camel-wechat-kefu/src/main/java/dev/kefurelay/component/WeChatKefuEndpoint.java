package dev.kefurelay.component;

import dev.kefurelay.message.AccountKind;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.DefaultEndpoint;

/**
 * Send WeChat customer-service messages (custom/send) and the typing indicator, with a token cache, retries and
 * WeChat's error policy; receive WeChat's pushes (users' messages and events) on the application's HTTP server.
 *
 * <p><b>What the component retries</b> (with backoff, on its own scheduler, never on the caller's thread): WeChat
 * busy (-1), the minute quota (45011), HTTP 5xx and 429, no connection; a rejected token (40001, 40014, 42001) is
 * renewed and the call made once more. <b>What it leaves to the route's error handler</b>: everything else, as a
 * {@code SendFailedException} (or the outcome headers with {@code failure=outcome}): invalid input, WeChat's other
 * errors (e.g. 43004 the user does not follow), retries exhausted, the daily quota (45009: the account is paused
 * until midnight China time) and a lost answer to custom/send (unknown outcome: retrying could deliver twice).
 * Retrying those again in the route's own error handler would repeat what the component already decided.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "wechat-kefu", title = "WeChat Customer Service",
        syntax = "wechat-kefu:operation", category = { Category.CHAT, Category.CLOUD },
        headersClass = KefuHeaders.class)
public class WeChatKefuEndpoint extends DefaultEndpoint {

    @UriParam
    private final WeChatKefuConfiguration configuration;

    public WeChatKefuEndpoint(String uri, WeChatKefuComponent component, WeChatKefuConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
    }

    @Override
    public Producer createProducer() {
        if (configuration.getOperation() == WeChatKefuOperation.push) {
            throw new UnsupportedOperationException("wechat-kefu:push receives WeChat's pushes "
                    + "(from(\"wechat-kefu:push\")): send with wechat-kefu:send");
        }
        return new WeChatKefuProducer(this);
    }

    /**
     * An endpoint that brings an account's secret makes that account known to the component before it sends; one
     * that names its account's kind makes that kind known (in every token mode: an authorizer's too).
     */
    @Override
    protected void doStart() throws Exception {
        super.doStart();
        AccountKind kind = OptionChecks.endpointKind(configuration.getKind());
        if (kind != null) {
            String appid = configuration.getAppid();
            if (appid == null || appid.isBlank()) {
                throw new IllegalArgumentException("wechat-kefu: the endpoint's kind needs its appid");
            }
            try {
                getComponent().addAccountKind(appid.strip(), kind);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("wechat-kefu: the endpoint's kind " + kind.wireName() + ": "
                        + e.getMessage());
            }
        }
        String secret = configuration.getSecret();
        if (secret != null && !secret.isBlank()) {
            String appid = configuration.getAppid();
            if (appid == null || appid.isBlank()) {
                throw new IllegalArgumentException("wechat-kefu: the endpoint's secret needs its appid");
            }
            getComponent().addAccount(appid.strip(), secret.strip());
        }
    }

    /** {@code from("wechat-kefu:push")}: the other operations only send. */
    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (configuration.getOperation() != WeChatKefuOperation.push) {
            throw new UnsupportedOperationException("wechat-kefu:" + configuration.getOperation() + " only sends: "
                    + "receive WeChat's pushes with from(\"wechat-kefu:push\")");
        }
        WeChatKefuPushConsumer consumer = new WeChatKefuPushConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public WeChatKefuComponent getComponent() {
        return (WeChatKefuComponent) super.getComponent();
    }

    public WeChatKefuConfiguration getConfiguration() {
        return configuration;
    }
}
