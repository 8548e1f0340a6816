package dev.kefurelay.token;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How access tokens are obtained ({@code kefu.token.mode}). */
public enum TokenMode {
    STABLE("stable"),
    CLIENT_CREDENTIAL("client-credential"),
    COMPONENT("component");

    private final String wireName;

    TokenMode(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static TokenMode parse(String value) {
        for (TokenMode m : values()) {
            if (m.wireName.equals(value)) {
                return m;
            }
        }
        throw new IllegalArgumentException("'" + value + "' is not one of "
                + Arrays.stream(values()).map(TokenMode::wireName).collect(Collectors.joining(", ")));
    }
}
