package dev.kefurelay.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kefurelay.message.InvalidMessageException;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inputs of component mode: {@code direct:kefu-component-ticket} (body: the ticket) and
 * {@code direct:kefu-authorizers} (body: {@code {"authorizer_appid":…,"authorizer_refresh_token":…}}). The JMS
 * queues of the same names reach them through routes/component.camel.yaml. A failure is thrown to the caller
 * (a JMS consumer rolls back, and the broker dead-letters after its attempts); its text never holds a value.
 */
public final class ComponentRoutes extends RouteBuilder {

    public static final String TICKET = "direct:kefu-component-ticket";
    public static final String AUTHORIZERS = "direct:kefu-authorizers";
    public static final String TICKET_QUEUE = "kefu.component.ticket";
    public static final String AUTHORIZERS_QUEUE = "kefu.authorizers";

    private static final Logger LOG = LoggerFactory.getLogger(ComponentRoutes.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final VerifyTicket tickets;
    private final RefreshTokens refreshTokens;
    private final AuthorizerTokens authorizers;
    private final TokenCache authorizerCache;

    public ComponentRoutes(VerifyTicket tickets, RefreshTokens refreshTokens, AuthorizerTokens authorizers,
            TokenCache authorizerCache) {
        this.tickets = tickets;
        this.refreshTokens = refreshTokens;
        this.authorizers = authorizers;
        this.authorizerCache = authorizerCache;
    }

    @Override
    public void configure() {
        from(TICKET).routeId("kefu-component-ticket")
            .convertBodyTo(String.class, "UTF-8")
            .process(e -> tickets.arrived(e.getMessage().getBody(String.class), TICKET));

        from(AUTHORIZERS).routeId("kefu-authorizers")
            .convertBodyTo(String.class, "UTF-8")
            .process(this::authorizer);
    }

    private void authorizer(Exchange exchange) {
        JsonNode body;
        try {
            body = JSON.readTree(exchange.getMessage().getBody(String.class));
        } catch (Exception e) {
            // the parser's text quotes the input, which holds a refresh token
            throw new InvalidMessageException("an authorizer update must be JSON "
                    + "{\"authorizer_appid\":…,\"authorizer_refresh_token\":…}");
        }
        String appid = body == null ? null : body.path("authorizer_appid").asText(null);
        String refreshToken = body == null ? null : body.path("authorizer_refresh_token").asText(null);
        if (appid == null || appid.isBlank() || refreshToken == null || refreshToken.isBlank()) {
            throw new InvalidMessageException("an authorizer update needs authorizer_appid and authorizer_refresh_token");
        }
        appid = appid.strip();
        refreshTokens.update(appid, refreshToken.strip());
        authorizers.updated(appid);
        // its cached access token belongs to the old authorization
        authorizerCache.invalidate(appid);
        LOG.info("authorizer {} added or updated; its refresh token is stored", appid);
    }
}
