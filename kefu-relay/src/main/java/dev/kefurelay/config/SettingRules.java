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
public final class SettingRules {

    /** What a key's value is: its type in the docs, and for numbers, durations, sizes and flags the rule checked. */
    public enum Rule {
        /** Any text; what it must hold, if anything, is checked where it is read (an address, a queue name). */
        TEXT("string"),
        /** A folder. */
        FOLDER("folder"),
        /** A URL, checked with its group (the store's, the broker's). */
        URL("URL"),
        /** Comma-separated http(s) URLs, checked as the component checks its base URLs. */
        URL_LIST("URL list"),
        /** One of a closed set of words, checked where it is parsed. */
        CHOICE("enum"),
        /** A TCP port: 0 to 65535 (0: off, or any free port). */
        PORT("integer"),
        /** A whole number of at least 1. */
        POSITIVE_COUNT("integer"),
        /** A whole number of at least 0. */
        COUNT("integer"),
        /** A duration longer than 0. */
        POSITIVE_DURATION("duration"),
        /** A duration of 0 or more. */
        DURATION("duration"),
        /** {@code 0} (off), or a duration longer than 0. */
        OFF_OR_POSITIVE_DURATION("duration"),
        /** A size of more than 0 bytes. */
        POSITIVE_SIZE("size"),
        /** {@code true} or {@code false}. */
        BOOLEAN("boolean");

        private final String type;

        Rule(String type) {
            this.type = type;
        }

        /** The type as the docs' property table names it. */
        public String type() {
            return type;
        }

        /** Whether {@link SettingRules#check(String, String, Rule)} checks anything for it. */
        boolean checked() {
            return !java.util.Set.of(TEXT, FOLDER, URL, URL_LIST, CHOICE).contains(this);
        }
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
            case TEXT, FOLDER, URL, URL_LIST, CHOICE -> {
                // checked by their groups, with messages that say what they must be
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

    /** The keys whose rule checks something, from the key table. */
    private static Map<String, Rule> rules() {
        Map<String, Rule> r = new LinkedHashMap<>();
        for (Key key : Key.values()) {
            if (!key.perAccount() && key.rule().checked()) {
                r.put(key.key(), key.rule());
            }
        }
        return java.util.Collections.unmodifiableMap(r);
    }
}
