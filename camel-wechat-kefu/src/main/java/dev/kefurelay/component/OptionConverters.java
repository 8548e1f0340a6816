package dev.kefurelay.component;

import dev.kefurelay.token.TokenMode;
import org.apache.camel.Converter;

/**
 * Text to the component's closed choices, for Camel's property binding ({@code camel.component.wechat-kefu.*},
 * endpoint URIs, Kamelets). Camel's own enum conversion would take {@code client-credential} too (it matches
 * constant names, dashes as underscores), but its error for a wrong value lists nothing; these accept exactly the
 * documented values and list them. Camel names the option around this message.
 */
@Converter(generateLoader = true)
public final class OptionConverters {

    private OptionConverters() {
    }

    @Converter
    public static TokenMode toTokenMode(String value) {
        try {
            return TokenMode.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tokenMode: " + e.getMessage());
        }
    }

    @Converter
    public static FailureMode toFailureMode(String value) {
        try {
            return FailureMode.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("failure: " + e.getMessage());
        }
    }
}
