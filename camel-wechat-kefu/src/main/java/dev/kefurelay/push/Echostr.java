package dev.kefurelay.push;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What WeChat's URL verification echoes: a short random token (digits in every published sample, e.g.
 * {@code 1616140317555161061}), never a message. The safe-mode form decrypts {@code echostr} with the push keys, so
 * without this check anyone holding a recorded push could send its {@code Encrypt} as {@code echostr} and be
 * answered its plaintext (a ticket, an authorization code, a user's message). An answer must look like a token:
 * at most {@link #MAX_LENGTH} URL-safe characters, without the markers of a push.
 */
public final class Echostr {

    /** Several times the longest echostr WeChat sends (19-20 digits), far below any push. */
    public static final int MAX_LENGTH = 128;

    private static final Pattern TOKEN = Pattern.compile("[0-9A-Za-z._~-]{1," + MAX_LENGTH + "}");
    /** A push's root element and the fields every push has, in any case. */
    private static final String[] PUSH_MARKERS = {"xml", "tousername", "encrypt"};

    private Echostr() {
    }

    /** Whether this may be answered to a URL verification; never true for any push's content. */
    public static boolean plausible(String answer) {
        if (answer == null || !TOKEN.matcher(answer).matches()) {
            return false;
        }
        String lower = answer.toLowerCase(Locale.ROOT);
        for (String marker : PUSH_MARKERS) {
            if (lower.contains(marker)) {
                return false;
            }
        }
        return true;
    }
}
