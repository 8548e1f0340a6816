package dev.kefurelay.sandbox;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** WeCom's side of who may do what: each corp's secret (the app allowed to call 微信客服) and its kf accounts. */
final class WeComCorps {

    private final Map<String, String> secrets = new ConcurrentHashMap<>();
    /** open_kfid → the corp it belongs to. */
    private final Map<String, String> kfAccounts = new ConcurrentHashMap<>();

    void corp(String corpid, String secret) {
        secrets.put(required(corpid, "corpid"), required(secret, "secret"));
    }

    void kfAccount(String corpid, String openKfid) {
        if (!secrets.containsKey(required(corpid, "corpid"))) {
            throw new IllegalArgumentException("corp '" + corpid + "' is not registered: call corp(corpid, secret) "
                    + "first");
        }
        String before = kfAccounts.putIfAbsent(required(openKfid, "openKfid"), corpid);
        if (before != null && !before.equals(corpid)) {
            throw new IllegalArgumentException("open_kfid '" + openKfid + "' belongs to corp '" + before + "'");
        }
    }

    /** gettoken's checks in WeCom's order: 41002, 41004, 40013 unknown corp, 40001 wrong secret. */
    void check(String corpid, String secret) {
        if (corpid == null || corpid.isEmpty()) {
            throw new ApiException(WeComErrors.CORPID_MISSING);
        }
        if (secret == null || secret.isEmpty()) {
            throw new ApiException(WeComErrors.SECRET_MISSING);
        }
        String expected = secrets.get(corpid);
        if (expected == null) {
            throw new ApiException(WeComErrors.INVALID_CORPID);
        }
        if (!expected.equals(secret)) {
            // the words given: 40001 is WeCom's own here, not WeChat's token code that WeComErrors translates
            throw new ApiException(WeComErrors.INVALID_SECRET, "invalid credential");
        }
    }

    /** The open_kfid of a request, if it is one of this corp's kf accounts: 95004 missing, 95000 otherwise. */
    String kfAccountOf(String corpid, String openKfid) {
        if (openKfid == null || openKfid.isEmpty()) {
            throw new ApiException(WeComErrors.OPEN_KFID_MISSING);
        }
        if (!corpid.equals(kfAccounts.get(openKfid))) {
            throw new ApiException(WeComErrors.INVALID_OPEN_KFID);
        }
        return openKfid;
    }

    /** The corp of a kf account, for the sandbox's own controls; a test naming an unknown one made a mistake. */
    String corpOf(String openKfid) {
        String corpid = kfAccounts.get(openKfid);
        if (corpid == null) {
            throw new IllegalArgumentException("open_kfid '" + openKfid + "' is not registered: call "
                    + "kfAccount(corpid, openKfid) first");
        }
        return corpid;
    }

    private static String required(String value, String name) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        return value;
    }
}
