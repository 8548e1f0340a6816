package dev.kefurelay.component;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.kefurelay.push.InboundMessage;
import dev.kefurelay.push.PlatformEvent;
import dev.kefurelay.push.PushRefusedException;
import dev.kefurelay.push.PushXml;
import dev.kefurelay.token.AuthorizerUpdate;
import dev.kefurelay.token.TokenSources;
import dev.kefurelay.window.Interaction;

/**
 * What a push becomes once its signature, freshness and encryption passed, the same for the component's consumer
 * ({@code wechat-kefu:push}) and kefu-relay's push server: a user's message or event is recorded in the window book
 * and, for a template message's delivery report, joined with the id of the message it carried; a platform's
 * {@code component_verify_ticket} is stored; an authorization event becomes an {@link AuthorizerUpdate}. Each step
 * throws when its store cannot be written, so that the push is not answered {@code success} and WeChat pushes it
 * again.
 */
public final class PushIntake {

    /** WeChat's report of a template message's final delivery. */
    public static final String TEMPLATE_FINISHED = "TEMPLATESENDJOBFINISH";

    private final WeChatKefuComponent wechat;

    /** @param wechat the component whose window book, store and token state the pushes go to; asked at each push */
    public PushIntake(WeChatKefuComponent wechat) {
        this.wechat = wechat;
    }

    /**
     * A user's message or event received by an account.
     *
     * @param interaction what the window book recorded (a push that opens no window: empty)
     */
    public record UserPush(InboundMessage message, Optional<Interaction> interaction) {

        /** The interaction's name ({@code message}, {@code menu_click}, …) or {@code none}: KefuInteraction. */
        public String interactionName() {
            return interaction.map(i -> i.name().toLowerCase(Locale.ROOT)).orElse("none");
        }
    }

    /**
     * The window the push opens recorded first (before the answer: a book that cannot be written makes WeChat push
     * it again), then the message the push becomes, with the account's kind (official or miniprogram: whose rules
     * apply to an answer) and, on a template report, the id of the message it reports on.
     *
     * @throws PushRefusedException MALFORMED without FromUserName or MsgType
     */
    public UserPush userPush(String appid, Map<String, Object> fields) {
        // the same fields whether the push came as XML or (a Mini Program's) JSON
        InboundMessage pushed = new InboundMessage(appid, wechat.accountKind(appid), fields);
        if (pushed.openid() == null || pushed.type() == null) {
            throw new PushRefusedException(PushRefusedException.Why.MALFORMED,
                    "a message push needs FromUserName and MsgType");
        }
        Optional<Interaction> interaction = wechat.windows().record(appid, fields);
        return new UserPush(pushed.withMessageId(sentMessageId(appid, fields)), interaction);
    }

    /** The id of the message a template's delivery report is about, when the store still has it. */
    private String sentMessageId(String appid, Map<String, Object> fields) {
        if (!TEMPLATE_FINISHED.equals(PushXml.text(fields, "Event"))) {
            return null;
        }
        String msgid = PushXml.text(fields, "MsgID");
        return msgid == null || msgid.isEmpty() ? null : wechat.store().messageIdOf(appid, msgid).orElse(null);
    }

    /**
     * A platform's authorization event, its platform checked; a ticket is stored here (unless the store holds a
     * newer one, whichever instance handled which push first).
     *
     * @param platformAppid the platform whose keys opened it
     * @throws PushRefusedException another platform's event, or a ticket event without its ticket
     */
    public PlatformEvent platformEvent(String platformAppid, Map<String, Object> fields) {
        PlatformEvent event = PlatformEvent.read(fields, platformAppid);
        if (event.isTicket()) {
            Instant createdAt = event.createdAt();
            TokenSources.Platform platform = platform();
            if (createdAt == null) {
                platform.tickets().arrived(event.ticket(), "a push");
            } else {
                platform.tickets().arrived(event.ticket(), "a push", createdAt);
            }
        }
        return event;
    }

    /**
     * The authorizer change an authorization event asks for: a code to exchange ({@code authorized},
     * {@code updateauthorized}) or the authorizer stopped ({@code unauthorized}, as of its CreateTime, else now).
     * Empty for other events.
     *
     * @throws PushRefusedException MALFORMED without AuthorizerAppid or AuthorizationCode
     */
    public static Optional<AuthorizerUpdate> authorizerUpdate(PlatformEvent event) {
        if (event.isAuthorization()) {
            return Optional.of(AuthorizerUpdate.authorized(event.requireAuthorizer(), event.authorizationCode()));
        }
        if (event.isWithdrawal()) {
            Instant at = event.createdAt();
            return Optional.of(AuthorizerUpdate.withdrawn(event.requireAuthorizer(), at == null ? Instant.now() : at));
        }
        return Optional.empty();
    }

    /** Applies an authorizer change to the component's platform state now; returns the authorizer changed. */
    public String apply(AuthorizerUpdate update) {
        return update.applyTo(platform(), wechat.tokens());
    }

    private TokenSources.Platform platform() {
        return wechat.platform().orElseThrow(() -> new IllegalStateException("the wechat-kefu component is not in "
                + "token mode component"));
    }
}
