package dev.kefurelay.send;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import dev.kefurelay.message.MessageReader;
import dev.kefurelay.message.OutboundMessage;
import dev.kefurelay.message.StrictJson;
import dev.kefurelay.message.TypingCommand;
import dev.kefurelay.token.AccessToken;
import dev.kefurelay.token.TokenCache;
import org.apache.camel.Exchange;

/** The steps of the send routes, in plain Java so the routes read as the flow and the steps can be tested. */
public final class SendSteps {

    static final String CUSTOM_SEND = "/cgi-bin/message/custom/send";
    static final String CUSTOM_TYPING = "/cgi-bin/message/custom/typing";

    private final MessageReader reader;
    private final WeChatApi api;
    private final TokenCache tokens;
    private final QuotaPauses quotaPauses;
    private final DeliveredIds deliveredIds;

    public SendSteps(MessageReader reader, WeChatApi api, TokenCache tokens, QuotaPauses quotaPauses,
            DeliveredIds deliveredIds) {
        this.reader = reader;
        this.api = api;
        this.tokens = tokens;
        this.quotaPauses = quotaPauses;
        this.deliveredIds = deliveredIds;
    }

    /** Reads and checks the message; the body becomes the part WeChat receives. */
    public void read(Exchange exchange) {
        exchange.setProperty(KefuHeaders.STARTED, System.nanoTime());
        // Bytes (a JMS BytesMessage) are decoded strictly: Camel's conversion would put U+FFFD in place of bad
        // bytes and send the customer altered text.
        Object body = exchange.getMessage().getBody();
        String text = body instanceof byte[] bytes ? StrictJson.utf8(bytes, "the message")
                : exchange.getMessage().getBody(String.class);
        OutboundMessage message = reader.read(text,
                exchange.getMessage().getHeader(KefuHeaders.APP_ID, String.class),
                exchange.getMessage().getHeader(KefuHeaders.TO_USER, String.class));
        exchange.setProperty(KefuHeaders.MESSAGE, message);
        exchange.setProperty(KefuHeaders.ACCOUNT, message.appid());
        exchange.getMessage().setBody(message.message());
    }

    /**
     * Reads a typing command; the attempt that follows posts it to custom/typing instead of custom/send,
     * with the same token handling.
     */
    public void readTyping(Exchange exchange) {
        TypingCommand command = reader.readTyping(exchange.getMessage().getBody(String.class),
                exchange.getMessage().getHeader(KefuHeaders.APP_ID, String.class));
        exchange.setProperty(KefuHeaders.ACCOUNT, command.appid());
        exchange.setProperty(KefuHeaders.API_PATH, CUSTOM_TYPING);
        exchange.setProperty(KefuHeaders.PAYLOAD, command.toJson());
    }

    /**
     * A message naming an account that is not configured is bad input: refused here, before its id is looked at
     * or any token is asked for (the token cache refuses it too, for every other caller).
     */
    public void checkAccount(Exchange exchange) {
        tokens.requireConfigured(account(exchange));
    }

    /**
     * Claims the message's id for its account before it is sent (see {@link DeliveredIds}); a copy that waited
     * in vain for another copy of its id fails with unknown-outcome: that copy may still deliver it, so sending
     * this one could deliver twice, and dead-lettering keeps it for a replay.
     */
    public void claimId(Exchange exchange) {
        OutboundMessage m = exchange.getProperty(KefuHeaders.MESSAGE, OutboundMessage.class);
        DeliveredIds.Claim claim = deliveredIds.claim(m.appid(), m.id());
        exchange.setProperty(KefuHeaders.CLAIM, claim);
        if (claim.verdict() == DeliveredIds.Verdict.GAVE_UP) {
            throw new SendFailedException(Reason.UNKNOWN_OUTCOME, null, "another copy of id '" + m.id() + "' of "
                    + m.appid() + " was still being sent after " + deliveredIds.maxWait().toSeconds()
                    + "s: not sent, so that it cannot be delivered twice; replay it once that copy's outcome is known");
        }
    }

    public boolean isDuplicate(Exchange exchange) {
        return exchange.getProperty(KefuHeaders.CLAIM, DeliveredIds.Claim.class).verdict()
                == DeliveredIds.Verdict.DUPLICATE;
    }

    public void checkQuota(Exchange exchange) {
        quotaPauses.check(account(exchange));
    }

    public void fetchToken(Exchange exchange) {
        exchange.setProperty(KefuHeaders.TOKEN, tokens.get(account(exchange)));
    }

    public void post(Exchange exchange) {
        AccessToken token = exchange.getProperty(KefuHeaders.TOKEN, AccessToken.class);
        String payload = exchange.getProperty(KefuHeaders.PAYLOAD, String.class);
        String path = path(exchange);
        // only a lost answer to custom/send may hide a delivered message (unknown outcome)
        exchange.setProperty(KefuHeaders.REPLY,
                api.post(path, "access_token=" + URLEncoder.encode(token.value(), StandardCharsets.UTF_8), payload,
                        CUSTOM_SEND.equals(path)));
    }

    public boolean tokenRejected(Exchange exchange) {
        return ErrorPolicy.verdict(reply(exchange)) == ErrorPolicy.Verdict.TOKEN_REJECTED;
    }

    public void rejectToken(Exchange exchange) {
        tokens.reject(account(exchange), exchange.getProperty(KefuHeaders.TOKEN, AccessToken.class));
    }

    /** Returns when WeChat took the message; throws the contract's failure otherwise. */
    public void judge(Exchange exchange) {
        WeChatReply reply = reply(exchange);
        ErrorPolicy.Verdict verdict = ErrorPolicy.verdict(reply);
        if (verdict == ErrorPolicy.Verdict.DELIVERED) {
            return;
        }
        // the daily quota pause is about messages; a typing call does not stop the account's sending
        if (verdict == ErrorPolicy.Verdict.DAILY_QUOTA && CUSTOM_SEND.equals(path(exchange))) {
            quotaPauses.pause(account(exchange));
        }
        throw ErrorPolicy.failure(reply);
    }

    private static String path(Exchange exchange) {
        return exchange.getProperty(KefuHeaders.API_PATH, CUSTOM_SEND, String.class);
    }

    private static WeChatReply reply(Exchange exchange) {
        return exchange.getProperty(KefuHeaders.REPLY, WeChatReply.class);
    }

    private static String account(Exchange exchange) {
        return exchange.getProperty(KefuHeaders.ACCOUNT, String.class);
    }
}
