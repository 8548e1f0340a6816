package dev.kefurelay.sandbox;

import java.security.SecureRandom;
import java.util.Base64;

/** Unguessable token values in WeChat's alphabet ([A-Za-z0-9_-]), so they travel in a query string unescaped. */
final class RandomTokens {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private RandomTokens() {
    }

    static String next() {
        byte[] bytes = new byte[48];
        RANDOM.nextBytes(bytes);
        return ENCODER.encodeToString(bytes);
    }
}
