package dev.kefurelay.message;

import java.util.List;

/**
 * The body WeChat receives, cut from the text the sender wrote: its top-level members, each exactly as written, less
 * the envelope's. Writing the parsed tree out again gives the same JSON (whitespace and escapes aside) at the cost of
 * a serialiser's pass over every character, a tenth of the component's own CPU a message on the benchmark; a cut is
 * one scan and one copy.
 *
 * <p>The text was parsed strictly before ({@link StrictJson}): it is one well-formed object with no duplicate key,
 * which is all the scan relies on. Where writing the tree would give something else, there is no cut and the caller
 * writes the tree: a {@code null} anywhere (a null counts as absent, and the tree's writer leaves it out), a key
 * written with an escape (its name is known only once decoded), or a {@code \\u} or {@code \\/} escape anywhere.
 * The tree's writer sends every character as itself in UTF-8, and WeChat's global return codes name 40033 for
 * request characters "in \\uxxxx form": many senders' serialisers (Python's {@code json.dumps}, PHP's
 * {@code json_encode} by default) write Chinese so, and WeChat must get it decoded, as before the cut.
 */
final class BodyText {

    private BodyText() {
    }

    /**
     * @param json     a JSON object's text, parsed strictly, without surrounding whitespace
     * @param envelope the top-level keys to leave out
     * @return the object without those members, {@code json} itself when it has none of them; null when the tree
     *         must be written instead (see the class comment)
     */
    static String cut(String json, List<String> envelope) {
        if (json.indexOf("\\u") >= 0 || json.indexOf("\\/") >= 0) {
            return null;
        }
        StringBuilder body = new StringBuilder(json.length()).append('{');
        boolean any = false;
        boolean cut = false;
        int i = space(json, 1);
        if (json.charAt(i) == '}') {
            return json;
        }
        while (true) {
            int start = i;
            int keyEnd = string(json, i, false);
            if (keyEnd < 0) {
                return null;
            }
            int end = value(json, space(json, space(json, keyEnd) + 1));
            if (end < 0) {
                return null;
            }
            if (named(json, start + 1, keyEnd - 1, envelope)) {
                cut = true;
            } else {
                (any ? body.append(',') : body).append(json, start, end);
                any = true;
            }
            i = space(json, end);
            if (json.charAt(i) == '}') {
                return cut ? body.append('}').toString() : json;
            }
            i = space(json, i + 1);
        }
    }

    private static boolean named(String json, int from, int to, List<String> names) {
        for (String name : names) {
            if (to - from == name.length() && json.startsWith(name, from)) {
                return true;
            }
        }
        return false;
    }

    /** The index after the value that starts at {@code i}; -1 when it is or holds a null. */
    private static int value(String json, int i) {
        char c = json.charAt(i);
        if (c == '"') {
            return string(json, i, true);
        }
        if (c != '{' && c != '[') {
            // a number, true or false: up to the next delimiter
            if (c == 'n') {
                return -1;
            }
            int end = i + 1;
            while (end < json.length() && ",}] \t\r\n".indexOf(json.charAt(end)) < 0) {
                end++;
            }
            return end;
        }
        int depth = 0;
        for (int at = i; ; at++) {
            char d = json.charAt(at);
            if (d == '"') {
                at = string(json, at, true) - 1;
            } else if (d == '{' || d == '[') {
                depth++;
            } else if (d == '}' || d == ']') {
                if (--depth == 0) {
                    return at + 1;
                }
            } else if (d == 'n') {
                // outside a string an n begins only the literal null
                return -1;
            }
        }
    }

    /**
     * The index after the string that opens at {@code i}; with {@code escapes} false, -1 when it holds an escape.
     */
    private static int string(String json, int i, boolean escapes) {
        for (int at = i + 1; ; at++) {
            char c = json.charAt(at);
            if (c == '"') {
                return at + 1;
            }
            if (c == '\\') {
                if (!escapes) {
                    return -1;
                }
                at++;
            }
        }
    }

    private static int space(String json, int i) {
        int at = i;
        while (at < json.length() && isSpace(json.charAt(at))) {
            at++;
        }
        return at;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }
}
