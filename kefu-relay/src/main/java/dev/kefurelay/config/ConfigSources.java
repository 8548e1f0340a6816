package dev.kefurelay.config;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.camel.spi.PropertiesComponent;

/**
 * Which {@code kefu.*} keys an operator gave, wherever they gave them. Camel's properties component reads the
 * sources and resolves each key (environment variable, then {@code -D}, then {@code application.properties} in
 * the working folder, then the one in the jar); what it cannot do is list the keys that are only in the
 * environment or {@code -D}, and those are the ones a typo has to be found in, or that name an account
 * ({@code KEFU_ACCOUNTS_<APPID>_SECRET}). So this class only collects names; every value comes from Camel.
 */
public final class ConfigSources {

    private static final String PREFIX = "kefu.";

    private ConfigSources() {
    }

    /** Keys from the property files and overrides Camel loaded, {@code -D} and {@code KEFU_*} variables. */
    static Set<String> givenKeys(PropertiesComponent pc, Map<String, String> env) {
        Set<String> keys = new TreeSet<>(pc.loadProperties(k -> k.startsWith(PREFIX)).stringPropertyNames());
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith(PREFIX)).forEach(keys::add);
        keys.addAll(environmentKeys(env.keySet()));
        return keys;
    }

    /**
     * Environment names lose dots and dashes, so each is matched against the known keys' spellings; the
     * per-account keys are rebuilt from their pattern, the appid taken in lower case as WeChat writes it; any
     * other {@code KEFU_*} name becomes a key that the settings then refuse as unknown.
     */
    static Set<String> environmentKeys(Set<String> names) {
        Set<String> keys = new TreeSet<>();
        for (String name : names) {
            if (!name.startsWith("KEFU_")) {
                continue;
            }
            String key = KefuSettings.KNOWN_KEYS.stream().filter(k -> envName(k).equals(name)).findFirst().orElse(null);
            if (key == null && name.startsWith("KEFU_ACCOUNTS_")) {
                key = accountKey(name);
            } else if (key == null && name.startsWith("KEFU_AUTHORIZERS_") && name.endsWith("_REFRESH_TOKEN")) {
                key = "kefu.authorizers." + middle(name, "KEFU_AUTHORIZERS_", "_REFRESH_TOKEN") + ".refresh-token";
            }
            keys.add(key != null ? key : name.toLowerCase(Locale.ROOT).replace('_', '.'));
        }
        return keys;
    }

    /** KEFU_ACCOUNTS_<APPID>_SECRET, _PUSH_TOKEN or _PUSH_AES_KEY; null for anything else. */
    private static String accountKey(String name) {
        for (String setting : new String[] {"secret", "push-token", "push-aes-key"}) {
            String suffix = "_" + envName(setting);
            if (name.endsWith(suffix) && name.length() > "KEFU_ACCOUNTS_".length() + suffix.length()) {
                return "kefu.accounts." + middle(name, "KEFU_ACCOUNTS_", suffix) + "." + setting;
            }
        }
        return null;
    }

    /** The variable Camel reads for a key: upper case, dots and dashes as underscores. */
    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static String middle(String name, String prefix, String suffix) {
        return name.substring(prefix.length(), name.length() - suffix.length()).toLowerCase(Locale.ROOT);
    }
}
