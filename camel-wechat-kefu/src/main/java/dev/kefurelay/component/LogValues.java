package dev.kefurelay.component;

/**
 * Values from a message (an appid from a property, an errmsg that quotes the input) written into a log line: a line
 * break or another control character in them would end the line there and let the sender write a line of its own
 * (a forged outcome, say). Every such value passes through {@link #oneLine} before it is logged.
 */
public final class LogValues {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private LogValues() {
    }

    /**
     * The value with each control character written as an escape ({@code \n}, {@code \r}, {@code \t}, else
     * {@code \}{@code uXXXX}), including the Unicode line and paragraph separators; null as "-". The value itself
     * when it has none, which is nearly always: nothing is copied then.
     */
    public static String oneLine(Object value) {
        if (value == null) {
            return "-";
        }
        String s = value.toString();
        int i = clean(s, 0, s.length());
        if (i == s.length()) {
            return s;
        }
        return escape(new StringBuilder(s.length() + 16).append(s, 0, i), s, i, s.length()).toString();
    }

    /** {@link #oneLine} appended to a line being built: no string of its own for a value that needs no escape. */
    public static StringBuilder append(StringBuilder line, String value) {
        return value == null ? line.append('-') : append(line, value, 0, value.length());
    }

    /** {@link #oneLine} of the characters {@code from} to {@code to} of {@code value}, appended. */
    public static StringBuilder append(StringBuilder line, String value, int from, int to) {
        int i = clean(value, from, to);
        line.append(value, from, i);
        return i == to ? line : escape(line, value, i, to);
    }

    /** Where the first character to escape is, or {@code to}. */
    private static int clean(String s, int from, int to) {
        int i = from;
        while (i < to && !escaped(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static StringBuilder escape(StringBuilder out, String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (escaped(c)) {
                        out.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf])
                                .append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out;
    }

    private static boolean escaped(char c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
    }
}
