package dev.kefurelay.util;

/** Text helpers shared by the component and the relay. */
public final class Strings {

    private Strings() {
    }

    /**
     * A setting or field that is absent, empty or only whitespace is unset: null. Any other value without the
     * whitespace around it (a pasted appid or secret often has a trailing space or newline).
     */
    public static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
