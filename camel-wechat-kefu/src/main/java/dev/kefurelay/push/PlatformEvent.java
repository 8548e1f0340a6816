package dev.kefurelay.push;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A third-party platform's authorization event (its authorization event URL), read from a push whose signature and
 * encryption were checked: {@code component_verify_ticket} every 10 minutes, {@code authorized},
 * {@code updateauthorized}, {@code unauthorized}, and others (e.g. {@code notify_third_fasteregister}).
 * {@link #toString()} and {@link #toJson()} leave out its secrets (the ticket, the authorization code).
 *
 * @param infoType   {@code InfoType}, empty when absent
 * @param authorizer {@code AuthorizerAppid}, or null
 * @param createTime {@code CreateTime} as sent (seconds), or null
 */
public record PlatformEvent(String infoType, String appid, String authorizer, String createTime,
        Map<String, Object> fields) {

    public static final String TICKET = "component_verify_ticket";
    /** Fields that are secrets: used here, left out of what is published or logged. */
    public static final Set<String> SECRET_FIELDS = Set.of("ComponentVerifyTicket", "AuthorizationCode", "PreAuthCode");

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param platformAppid the platform whose keys opened the push: an event naming another is refused
     * @throws PushRefusedException BAD_RECEIVE_ID for another platform's event
     */
    public static PlatformEvent read(Map<String, Object> fields, String platformAppid) {
        String appid = PushXml.text(fields, "AppId");
        if (appid != null && !appid.equals(platformAppid)) {
            throw new PushRefusedException(PushRefusedException.Why.BAD_RECEIVE_ID,
                    "the event names platform '" + appid + "', this one is '" + platformAppid + "'");
        }
        String infoType = PushXml.text(fields, "InfoType");
        return new PlatformEvent(infoType == null ? "" : infoType, appid, PushXml.text(fields, "AuthorizerAppid"),
                PushXml.text(fields, "CreateTime"), fields);
    }

    public boolean isTicket() {
        return TICKET.equals(infoType);
    }

    /** authorized or updateauthorized: a new authorization code for the authorizer. */
    public boolean isAuthorization() {
        return "authorized".equals(infoType) || "updateauthorized".equals(infoType);
    }

    public boolean isWithdrawal() {
        return "unauthorized".equals(infoType);
    }

    /** @throws PushRefusedException MALFORMED when the ticket event carries none */
    public String ticket() {
        String ticket = PushXml.text(fields, "ComponentVerifyTicket");
        if (ticket == null || ticket.isEmpty()) {
            throw new PushRefusedException(PushRefusedException.Why.MALFORMED,
                    TICKET + " event without ComponentVerifyTicket");
        }
        return ticket;
    }

    /** @throws PushRefusedException MALFORMED when the event names no authorizer */
    public String requireAuthorizer() {
        if (authorizer == null || authorizer.isEmpty()) {
            throw new PushRefusedException(PushRefusedException.Why.MALFORMED,
                    infoType + " event without AuthorizerAppid");
        }
        return authorizer;
    }

    /** @throws PushRefusedException MALFORMED when the authorization event carries no code */
    public String authorizationCode() {
        String code = PushXml.text(fields, "AuthorizationCode");
        if (code == null || code.isEmpty()) {
            throw new PushRefusedException(PushRefusedException.Why.MALFORMED, "the event has no AuthorizationCode");
        }
        return code;
    }

    /** When WeChat made the event ({@code CreateTime}), or null when it says no time. */
    public Instant createdAt() {
        try {
            return Instant.ofEpochSecond(Long.parseLong(createTime));
        } catch (NumberFormatException | NullPointerException e) {
            return null;
        }
    }

    /** What WeChat's tries of one event share (they are signed anew): its type, authorizer and time. */
    public String dedupeKey() {
        return "push:" + infoType + ":" + authorizer + ":" + createTime;
    }

    /** {@code {"appid","info_type","fields"}}, the fields without {@link #SECRET_FIELDS}. */
    public String toJson() {
        ObjectNode event = JSON.createObjectNode().put("appid", appid).put("info_type", infoType);
        Map<String, Object> published = new LinkedHashMap<>(fields);
        published.keySet().removeAll(SECRET_FIELDS);
        event.set("fields", JSON.valueToTree(published));
        return event.toString();
    }

    @Override
    public String toString() {
        return "PlatformEvent[" + infoType + ", platform " + appid + ", authorizer " + authorizer + ", created "
                + createTime + "]";
    }
}
