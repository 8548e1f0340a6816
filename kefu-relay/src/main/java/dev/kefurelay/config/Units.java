package dev.kefurelay.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the contract's durations ({@code 200ms}, {@code 1s}, {@code 5m}, {@code 2h}) and sizes ({@code 512KB}, {@code 16MB}). */
public final class Units {

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KB|MB|GB)?", Pattern.CASE_INSENSITIVE);

    private Units() {
    }

    public static Duration duration(String key, String value) {
        Matcher m = DURATION.matcher(value.strip());
        if (!m.matches()) {
            throw new ConfigException(key + "=" + value + " is not a duration: write e.g. 200ms, 1s, 5m or 2h");
        }
        try {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        } catch (NumberFormatException | ArithmeticException e) {
            throw tooLarge(key, value);
        }
    }

    public static long bytes(String key, String value) {
        Matcher m = SIZE.matcher(value.strip());
        if (!m.matches()) {
            throw new ConfigException(key + "=" + value + " is not a size: write e.g. 512KB or 16MB");
        }
        String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(java.util.Locale.ROOT);
        try {
            long n = Long.parseLong(m.group(1));
            return switch (unit) {
                case "KB" -> Math.multiplyExact(n, 1024L);
                case "MB" -> Math.multiplyExact(n, 1024L * 1024);
                case "GB" -> Math.multiplyExact(n, 1024L * 1024 * 1024);
                default -> n;
            };
        } catch (NumberFormatException | ArithmeticException e) {
            throw tooLarge(key, value);
        }
    }

    private static ConfigException tooLarge(String key, String value) {
        return new ConfigException(key + "=" + value + " is too large");
    }
}
