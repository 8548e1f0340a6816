package dev.kefurelay.receive;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import dev.kefurelay.component.PushHttp;
import dev.kefurelay.component.PushPath;
import dev.kefurelay.push.PushReceivers;
import dev.kefurelay.push.PushRefusedException;
import dev.kefurelay.push.PushXml;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WeCom 微信客服's callbacks on the push port: {@code /wecom/kf/<corpid>} for each corp with a callback Token, and
 * {@code /wecom/kf} for the default corp (kefu.wecom.corpid). A path per corp, as each Official Account has its own:
 * each corp enters its own callback URL, Token and EncodingAESKey at WeCom, and the URL verification (a GET) carries
 * nothing that names the corp, so the path says whose keys check it. GET answers WeCom's URL verification (the
 * echostr, encrypted, answered decrypted; fresh, once per nonce). POST is checked (msg_signature, replay window,
 * decryption with the corp id as receive id) and carries no message, only that a kf account has something to read: the
 * callback's {@code Token} and {@code OpenKfId} are stored (so a relay that dies now still pulls them after its
 * restart, or another relay does), the callback is answered {@code success} at once, and the pull runs after the
 * answer ({@link WeComPulls}). Other events (e.g. {@code kf_account_auth_change}) are answered and logged. Answered
 * as WeChat's pushes are ({@link PushHttp}): a refused callback gets a 4xx naming only the kind of refusal (404 for a
 * corp without callback keys), every refused URL verification the same 403; no log line holds a token.
 */
public final class WeComCallbackRoutes extends RouteBuilder {

    /** The default corp's path; each corp's is {@link #path(String)}. */
    public static final String PATH = "/wecom/kf";
    private static final PushPath CORP_PATH = PushPath.of(PATH + "/{appid}");
    private static final Logger LOG = LoggerFactory.getLogger(WeComCallbackRoutes.class);
    private static final Pattern OPEN_KFID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern SYNC_TOKEN = Pattern.compile("[A-Za-z0-9_=+/-]{1,256}");

    private final PushReceivers receivers;
    private final WeComReceiving receiving;
    private PushHttp http;

    /**
     * @param receivers each corp's callback checks ({@link PushEndpoints#wecomCorps}); its own appid is the default
     *                  corp, which has {@link #PATH} too when it receives
     */
    public WeComCallbackRoutes(PushReceivers receivers, WeComReceiving receiving) {
        this.receivers = receivers;
        this.receiving = receiving;
    }

    /** A corp's own callback path, {@code /wecom/kf/<corpid>}. */
    public static String path(String corpid) {
        return PATH + "/" + corpid;
    }

    @Override
    public void configure() {
        http = PushRoutes.http(getContext());
        String defaultCorpid = receivers.ownAppid();
        boolean defaultReceives = receivers.appids().contains(defaultCorpid);
        if (defaultReceives) {
            from("platform-http:" + PATH + "?httpMethodRestrict=GET,POST").routeId("kefu-wecom-callback")
                    .process(exchange -> answer(exchange, defaultCorpid));
        }
        from("platform-http:" + PATH + "/{corpid}?httpMethodRestrict=GET,POST").routeId("kefu-wecom-callback-corps")
                .process(exchange -> answer(exchange, CORP_PATH.appid(exchange.getIn().getHeader(Exchange.HTTP_URI,
                        String.class))));
        LOG.info("WeCom callbacks on the push port: {}{} for corps {}", defaultReceives
                ? PATH + " (" + defaultCorpid + "), " : "", path("{corpid}"), receivers.appids());
    }

    /**
     * Answered as every push is ({@link PushHttp}: the URL verification, the checks, the refusals, 503 when it could
     * not be stored); a stored kf_msg_or_event is pulled once it is answered.
     */
    private void answer(Exchange exchange, String corpid) {
        // the path is the caller's: only a corp id's letters reach the log and the answer
        String scope = PushReceivers.APPID.matcher(corpid).matches() ? "WeCom corp " + corpid
                : "a path that is no corp id";
        AtomicReference<String> stored = new AtomicReference<>();
        http.answer(exchange, "wecom", scope, receivers.account(corpid), fields -> stored.set(take(corpid, fields)));
        if (stored.get() != null && Integer.valueOf(200).equals(exchange.getMessage().getHeader(
                Exchange.HTTP_RESPONSE_CODE))) {
            receiving.trigger(stored.get());
        }
    }

    /** Stores what a kf_msg_or_event callback says; returns its kf account, or null for another event. */
    private String take(String corpid, Map<String, Object> fields) {
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
}
