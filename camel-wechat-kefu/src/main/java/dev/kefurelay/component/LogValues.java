package dev.kefurelay.component;

/**
 * Values from a message (an appid from a property, an errmsg that quotes the input) written into a log line: a line
 * break or another control character in them would end the line there and let the sender write a line of its own
 * (a forged outcome, say). Every such value passes through {@link #oneLine} before it is logged.
 */
public final class LogValues {

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
        int i = 0;
        while (i < s.length() && !escaped(s.charAt(i))) {
            i++;
        }
        if (i == s.length()) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length() + 16).append(s, 0, i);
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (escaped(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    private static boolean escaped(char c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
    }
}
