package dev.kefurelay.config;

/** The configuration cannot work; the message names the property. Never carries a secret's value. */
public class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message, null, false, false);
    }
}
