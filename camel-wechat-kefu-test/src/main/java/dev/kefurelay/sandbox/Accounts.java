package dev.kefurelay.sandbox;

import dev.kefurelay.message.AccountKind;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who may ask for a token: official accounts, third-party platforms and the verify ticket WeChat last pushed; and
 * each account's kind (an Official Account unless named a Mini Program), an authorizer's too.
 */
final class Accounts {

    private final Map<String, String> accountSecrets = new ConcurrentHashMap<>();
    private final Map<String, AccountKind> kinds = new ConcurrentHashMap<>();
    private final Map<String, String> componentSecrets = new ConcurrentHashMap<>();
    private volatile String verifyTicket;

    void account(String appid, String secret) {
        accountSecrets.put(required(appid, "appid"), required(secret, "secret"));
    }

    void kind(String appid, AccountKind kind) {
        kinds.put(required(appid, "appid"), kind);
    }

    AccountKind kindOf(String appid) {
        return kinds.getOrDefault(appid, AccountKind.OFFICIAL);
    }

    void component(String componentAppid, String componentSecret) {
        componentSecrets.put(required(componentAppid, "componentAppid"), required(componentSecret, "componentSecret"));
    }

    boolean isPlatform(String appid) {
        return appid != null && componentSecrets.containsKey(appid);
    }

    void verifyTicket(String ticket) {
        verifyTicket = required(ticket, "ticket");
    }

    /** The checks of /cgi-bin/token and /cgi-bin/stable_token, in WeChat's order. */
    void checkAccount(String appid, String secret) {
        checkSecret(accountSecrets, appid, secret);
    }

    void checkComponent(String componentAppid, String componentSecret, String ticket) {
        checkSecret(componentSecrets, componentAppid, componentSecret);
        // Only the latest ticket counts: a platform that missed a push must not be able to carry on unnoticed.
        String current = verifyTicket;
        if (ticket == null || current == null || !current.equals(ticket)) {
            throw new ApiException(ErrorCodes.COMPONENT_TICKET_INVALID);
        }
    }

    private static void checkSecret(Map<String, String> secrets, String appid, String secret) {
        if (appid == null || appid.isEmpty()) {
            throw new ApiException(ErrorCodes.APPID_MISSING);
        }
        if (secret == null || secret.isEmpty()) {
            throw new ApiException(ErrorCodes.APPSECRET_MISSING);
        }
        String expected = secrets.get(appid);
        if (expected == null) {
            throw new ApiException(ErrorCodes.INVALID_APPID);
        }
        if (!expected.equals(secret)) {
            throw new ApiException(ErrorCodes.INVALID_APPSECRET);
        }
    }

    private static String required(String value, String name) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        return value;
    }
}
