package dev.kefurelay.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What each numeric, duration, size and true/false setting must hold, in one table checked at start: a value
 * outside it stops the start with a message naming the key. Zero is refused wherever it would not mean what it
 * says: a timeout of 0 waits forever in the HTTP client and in PostgreSQL's {@code lock_timeout}, a size of 0
 * refuses every file, a retry delay of 0 hammers a WeChat that is busy; where 0 is meant (port 0 = off or any free
 * port, {@code kefu.push.max-age=0} = no replay check, {@code kefu.retry.max=0} = no retry) the rule says so.
 */
final class SettingRules {

    enum Rule {
        /** A TCP port: 0 to 65535 (0: off, or any free port). */
        PORT,
        /** A whole number of at least 1. */
        POSITIVE_COUNT,
        /** A whole number of at least 0. */
        COUNT,
        /** A duration longer than 0. */
        POSITIVE_DURATION,
        /** A duration of 0 or more. */
        DURATION,
        /** {@code 0} (off), or a duration longer than 0. */
        OFF_OR_POSITIVE_DURATION,
        /** A size of more than 0 bytes. */
        POSITIVE_SIZE,
        /** {@code true} or {@code false}. */
        BOOLEAN
    }

    static final Map<String, Rule> RULES = rules();

    private SettingRules() {
    }

    /** Checks every key with a rule; throws {@link ConfigException} naming the first that breaks its rule. */
    static void check(Map<String, String> values) {
        RULES.forEach((key, rule) -> check(key, values.get(key), rule));
    }

    static void check(String key, String value, Rule rule) {
        String v = value == null ? "" : value.strip();
        switch (rule) {
            case PORT -> {
                long port = whole(key, v);
                if (port < 0 || port > 65535) {
                    throw new ConfigException(key + "=" + v + " is not a port: give 0 to 65535");
                }
            }
            case POSITIVE_COUNT -> {
                if (whole(key, v) < 1) {
                    throw new ConfigException(key + "=" + v + " must be greater than 0");
                }
            }
            case COUNT -> {
                if (whole(key, v) < 0) {
                    throw new ConfigException(key + "=" + v + " must not be negative");
                }
            }
            case POSITIVE_DURATION -> {
                if (Units.duration(key, v).isZero()) {
                    throw new ConfigException(key + "=" + v + " must be longer than 0, e.g. 500ms or 5s");
                }
            }
            case DURATION -> Units.duration(key, v);
            case OFF_OR_POSITIVE_DURATION -> {
                if (!"0".equals(v) && Units.duration(key, v).isZero()) {
                    throw new ConfigException(key + "=" + v + " must be 0 (off) or longer than 0, e.g. 5m");
                }
            }
            case POSITIVE_SIZE -> {
                if (Units.bytes(key, v) <= 0) {
                    throw new ConfigException(key + "=" + v + " must be more than 0 bytes, e.g. 64KB or 16MB");
                }
            }
            case BOOLEAN -> {
                if (!"true".equalsIgnoreCase(v) && !"false".equalsIgnoreCase(v)) {
                    throw new ConfigException(key + "=" + v + " must be true or false");
                }
            }
            default -> throw new IllegalStateException(rule.name());
        }
    }

    /** A whole number that fits an int (every count and port is read as one). */
    private static long whole(String key, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new ConfigException(key + "=" + value + " is not a whole number");
        }
    }

    private static Map<String, Rule> rules() {
        Map<String, Rule> r = new LinkedHashMap<>();
        r.put("kefu.http.port", Rule.PORT);
        r.put("kefu.push.port", Rule.PORT);
        r.put("kefu.broker.port", Rule.PORT);
        r.put("kefu.sandbox.port", Rule.PORT);
        r.put("kefu.jms.concurrency", Rule.POSITIVE_COUNT);
        r.put("kefu.jms.batch-size", Rule.POSITIVE_COUNT);
        r.put("kefu.store.pool-size", Rule.POSITIVE_COUNT);
        r.put("kefu.retry.max", Rule.COUNT);
        r.put("kefu.wechat.connect-timeout", Rule.POSITIVE_DURATION);
        r.put("kefu.wechat.read-timeout", Rule.POSITIVE_DURATION);
        r.put("kefu.media.url-timeout", Rule.POSITIVE_DURATION);
        r.put("kefu.store.lock-timeout", Rule.POSITIVE_DURATION);
        r.put("kefu.retry.delay", Rule.POSITIVE_DURATION);
        r.put("kefu.retry.max-delay", Rule.POSITIVE_DURATION);
        r.put("kefu.shutdown.timeout", Rule.POSITIVE_DURATION);
        // 0: use a token to its last second (WeChat's 42001 then brings a new one); more is the usual choice
        r.put("kefu.token.refresh-ahead", Rule.DURATION);
        r.put("kefu.push.max-age", Rule.OFF_OR_POSITIVE_DURATION);
        r.put("kefu.inbox.max-size", Rule.POSITIVE_SIZE);
        r.put("kefu.media.image-max-size", Rule.POSITIVE_SIZE);
        r.put("kefu.media.voice-max-size", Rule.POSITIVE_SIZE);
        r.put("kefu.media.video-max-size", Rule.POSITIVE_SIZE);
        r.put("kefu.media.thumb-max-size", Rule.POSITIVE_SIZE);
        r.put("kefu.broker.queue-memory", Rule.POSITIVE_SIZE);
        r.put("kefu.push.max-size", Rule.POSITIVE_SIZE);
        r.put("kefu.sandbox", Rule.BOOLEAN);
        r.put("kefu.retry.unknown-outcome", Rule.BOOLEAN);
        return java.util.Collections.unmodifiableMap(r);
    }
}
