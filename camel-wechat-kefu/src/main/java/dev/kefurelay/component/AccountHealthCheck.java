package dev.kefurelay.component;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * The producer health check of one sending account, {@code producer:wechat-kefu-<appid>} (a WeCom corp's:
 * {@code producer:wechat-kefu-<corpid>}): whether the account can send now ({@link AccountReadiness}). A readiness
 * check only: restarting brings back neither a token nor the quota.
 */
final class AccountHealthCheck extends AbstractHealthCheck {

    static final String ID_PREFIX = "producer:wechat-kefu-";

    private final String appid;
    private final AccountReadiness readiness;

    /** @param readiness of the account's kind: its {@code detail} names the account ({@code appid}, {@code corpid}) */
    AccountHealthCheck(String appid, AccountReadiness readiness) {
        super("camel", ID_PREFIX + appid);
        this.appid = appid;
        this.readiness = readiness;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        AccountReadiness.Verdict verdict = readiness.of(appid);
        builder.detail(readiness.detail(), appid).message(verdict.message()).state(verdict.state());
    }
}
