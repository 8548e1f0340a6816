package dev.kefurelay.receive;

import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.kefurelay.push.PushQuery;
import dev.kefurelay.component.PushHttp;
import dev.kefurelay.config.Key;
import dev.kefurelay.config.KefuSettings;
import dev.kefurelay.config.SettingGroups;
import dev.kefurelay.push.PushCrypto;
import dev.kefurelay.push.PushReceiver;
import dev.kefurelay.push.PushRefusedException;
import dev.kefurelay.push.PushXml;
import dev.kefurelay.push.ReplayGuard;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WeCom 微信客服's callbacks on the push port, {@code /wecom/kf}. GET answers WeCom's URL verification (the echostr,
 * encrypted, answered decrypted; fresh, once per nonce). POST is checked (msg_signature, replay window, decryption
 * with the corp id as receive id) and carries no message, only that a kf account has something to read: the
 * callback's {@code Token} and {@code OpenKfId} are stored (so a relay that dies now still pulls them after its
 * restart, or another relay does), the callback is answered {@code success} at once, and the pull runs after the
 * answer ({@link WeComPulls}). Other events (e.g. {@code kf_account_auth_change}) are answered and logged. A
 * refused callback gets a 4xx naming only the kind of refusal; no log line holds a token.
 */
public final class WeComCallbackRoutes extends RouteBuilder {

    public static final String PATH = "/wecom/kf";
    private static final Logger LOG = LoggerFactory.getLogger(WeComCallbackRoutes.class);
    private static final Pattern OPEN_KFID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern SYNC_TOKEN = Pattern.compile("[A-Za-z0-9_=+/-]{1,256}");

    private final PushReceiver receiver;
    private final String corpid;
    private final WeComReceiving receiving;
    private MeterRegistry registry;

    public WeComCallbackRoutes(PushReceiver receiver, String corpid, WeComReceiving receiving) {
        this.receiver = receiver;
        this.corpid = corpid;
        this.receiving = receiving;
    }

    /** The callback's checks: kefu.wecom.push-token and -aes-key, the corp id as receive id, kefu.push's window. */
    public static PushReceiver receiver(KefuSettings settings) {
        SettingGroups.WeCom wecom = settings.wecom();
        SettingGroups.Push push = settings.push();
        PushCrypto crypto = new PushCrypto(wecom.pushToken().value(), wecom.pushAesKey().value(), null,
                wecom.corpid(), Key.WECOM_PUSH_AES_KEY.key());
        return new PushReceiver("wecom", crypto, new ReplayGuard(push.maxAge(), Clock.systemUTC(),
                Ticker.systemTicker()), (int) Math.min(Integer.MAX_VALUE, push.maxSize()));
    }

    @Override
    public void configure() {
        registry = getContext().getRegistry().lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME,
                MeterRegistry.class);
        from("platform-http:" + PATH + "?httpMethodRestrict=GET,POST").routeId("kefu-wecom-callback")
                .process(this::answer);
    }

    private void answer(Exchange exchange) {
        Map<String, String> query = PushQuery.parse(exchange.getMessage().getHeader(Exchange.HTTP_QUERY,
                String.class));
        boolean get = "GET".equals(exchange.getMessage().getHeader(Exchange.HTTP_METHOD, String.class));
        byte[] body = exchange.getIn().getBody(byte[].class);
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
        if (get) {
            try {
                reply(exchange, 200, receiver.verify(query, body));
                LOG.info("WeCom callback URL {} verified", PATH);
                count("verified");
            } catch (PushRefusedException e) {
                // one answer to every refusal: a GET must not tell what the relay holds
                LOG.warn("WeCom URL verification refused ({}): {}", e.why(), e.getMessage());
                reply(exchange, PushHttp.VERIFICATION_REFUSED, "refused");
                count(e.why().name().toLowerCase(Locale.ROOT));
            }
            return;
        }
        String openKfid;
        try {
            Map<String, Object> fields = receiver.receive(query, body == null ? new byte[0] : body);
            openKfid = take(fields);
            receiver.taken(query);
        } catch (PushRefusedException e) {
            LOG.warn("WeCom callback refused ({} {}): {}", e.status(), e.why(), e.getMessage());
            reply(exchange, e.status(), "refused: " + e.why().name().toLowerCase(Locale.ROOT));
            count(e.why().name().toLowerCase(Locale.ROOT));
            return;
        } catch (Exception e) {
            // not stored: WeCom calls again (it retries an unanswered callback), and that call is taken
            LOG.error("WeCom callback not stored, answered 503 for WeCom to retry: {}", e.toString());
            reply(exchange, 503, "not stored, try again");
            count("not_stored");
            return;
        }
        reply(exchange, 200, "success");
        count("success");
        if (openKfid != null) {
            receiving.trigger(openKfid);
        }
    }

    /** Stores what a kf_msg_or_event callback says; returns its kf account, or null for another event. */
    private String take(Map<String, Object> fields) {
        String event = PushXml.text(fields, "Event");
        if (!"kf_msg_or_event".equals(event)) {
            LOG.info("WeCom callback event {} received: nothing to pull", event == null ? "(none)" : event);
            return null;
        }
        String openKfid = PushXml.text(fields, "OpenKfId");
        String token = PushXml.text(fields, "Token");
        if (openKfid == null || !OPEN_KFID.matcher(openKfid).matches()) {
            throw new PushRefusedException(PushRefusedException.Why.MALFORMED, "a kf_msg_or_event callback needs an "
                    + "OpenKfId of letters, digits, _ and -");
        }
        if (token != null && !token.isEmpty() && !SYNC_TOKEN.matcher(token).matches()) {
            throw new PushRefusedException(PushRefusedException.Why.MALFORMED, "the callback's Token is not one "
                    + "WeCom hands out");
        }
        receiving.requested(corpid, openKfid, token == null || token.isEmpty() ? null : token);
        return openKfid;
    }

    private void count(String result) {
        if (registry != null) {
            registry.counter("kefu.pushes", "endpoint", "wecom", "result", result).increment();
        }
    }

    private static void reply(Exchange exchange, int status, String body) {
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setBody(body);
    }
}
