package dev.kefurelay.token;

import java.time.Duration;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kefurelay.wechat.ErrorPolicy;
import dev.kefurelay.wechat.Reason;
import dev.kefurelay.wechat.SendFailedException;
import dev.kefurelay.wechat.WeChatClient;
import dev.kefurelay.wechat.WeChatReply;

/** The third-party platform's {@code component_access_token}, from {@code api_component_token} with the latest ticket. */
public final class ComponentTokens implements TokenSource {

    static final String PATH = "/cgi-bin/component/api_component_token";
    /** Ticket expired (61005) or not the latest (61006): only a newer push helps. */
    static final Set<Integer> TICKET_REFUSED = Set.of(61005, 61006);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WeChatClient api;
    private final String componentAppid;
    private final String componentSecret;
    private final VerifyTicket tickets;
    private final OptionNames names;

    public ComponentTokens(WeChatClient api, String componentAppid, String componentSecret, VerifyTicket tickets,
            OptionNames names) {
        this.api = api;
        this.componentAppid = componentAppid;
        this.componentSecret = componentSecret;
        this.tickets = tickets;
        this.names = names;
    }

    @Override
    public AccessToken fetch(String appid, boolean forceRefresh) {
        VerifyTicket.Ticket ticket = tickets.latest().orElseThrow(() -> new SendFailedException(Reason.WECHAT_ERROR,
                null, "no component_verify_ticket yet: set " + names.name("component-ticket") + " or hand the one WeChat pushes to "
                        + "queue kefu.component.ticket or direct:kefu-component-ticket"));
        String body = JSON.createObjectNode()
                .put("component_appid", componentAppid)
                .put("component_appsecret", componentSecret)
                .put("component_verify_ticket", ticket.value())
                .toString();
        WeChatReply reply = api.post(PATH, null, body, false);
        if (reply.status() == 200 && TICKET_REFUSED.contains(reply.errcode())) {
            throw new SendFailedException(Reason.WECHAT_ERROR, reply.errcode(), "component access token for "
                    + appid + " refused: " + reply.errmsg() + "; a newer component_verify_ticket is needed (WeChat "
                    + "pushes one every 10 minutes: hand it to queue kefu.component.ticket or "
                    + "direct:kefu-component-ticket; " + tickets.describeAge(ticket) + ")");
        }
        ErrorPolicy.requireTokenReply(reply, "component access token for " + appid);
        return new AccessToken(reply.text("component_access_token"),
                Duration.ofSeconds(reply.number("expires_in", 7200)));
    }

    @Override
    public boolean knows(String appid) {
        return componentAppid.equals(appid);
    }

    @Override
    public String notConfigured(String appid) {
        return "appid '" + appid + "' is not the platform's " + names.name("component-appid");
    }

    @Override
    public String toString() {
        return "ComponentTokens[" + componentAppid + "]";
    }
}
