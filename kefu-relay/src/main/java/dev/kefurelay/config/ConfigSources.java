package dev.kefurelay.config;

import java.util.ArrayList;
import java.util.List;
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

    /**
     * Keys from the property files and overrides Camel loaded, {@code -D} and {@code KEFU_*} variables. A {@code -D}
     * or variable that looks like a setting but is none Camel would read ({@code -DKEFU.retry.max}, {@code
     * KEFU_RETRY_MAXX}, {@code kefu_retry_max}) stops the start naming it as it was given: left alone, it would be
     * ignored without a word. Only names are collected; no value is read or printed.
     */
    static Set<String> givenKeys(PropertiesComponent pc, Map<String, String> env) {
        Set<String> keys = new TreeSet<>(pc.loadProperties(k -> k.startsWith(PREFIX)).stringPropertyNames());
        List<String> refused = new ArrayList<>();
        for (String name : new TreeSet<>(System.getProperties().stringPropertyNames())) {
            if (name.startsWith(PREFIX)) {
                keys.add(name);
            } else if (looksLikeSetting(name)) {
                refused.add("-D" + name + hint(name));
            }
        }
        for (String name : new TreeSet<>(env.keySet())) {
            if (!looksLikeSetting(name)) {
                continue;
            }
            String key = environmentKey(name);
            if (key != null) {
                keys.add(key);
            } else {
                refused.add("environment variable " + name + hint(name));
            }
        }
        if (!refused.isEmpty()) {
            throw new ConfigException("not a kefu setting: " + String.join("; ", refused) + ". Keys are written "
                    + "kefu.<name> (-D, application.properties) or KEFU_<NAME> (environment variables); check the "
                    + "spelling against the property table");
        }
        return keys;
    }

    /** {@code kefu} in any case, then a dot, dash or underscore: meant as a setting, whether or not it is one. */
    static boolean looksLikeSetting(String name) {
        return name.length() > 5 && name.regionMatches(true, 0, "kefu", 0, 4) && ".-_".indexOf(name.charAt(4)) >= 0;
    }

    /** The keys the environment gives (see {@link #environmentKey}); names that give none are left out. */
    static Set<String> environmentKeys(Set<String> names) {
        Set<String> keys = new TreeSet<>();
        for (String name : names) {
            String key = looksLikeSetting(name) ? environmentKey(name) : null;
            if (key != null) {
                keys.add(key);
            }
        }
        return keys;
    }

    /**
     * The key a variable gives, or null when Camel would read it for no key. Camel looks a key up as its upper case
     * ({@code KEFU.RETRY.MAX}) and with dots and dashes as underscores ({@code KEFU_RETRY_MAX}), so a name with a
     * lower-case letter is read for none. Names lose dots and dashes, so each is matched against the known keys'
     * spellings; the per-account keys are rebuilt from their row, the appid taken in lower case as WeChat
     * writes it.
     */
    static String environmentKey(String name) {
        if (!name.equals(name.toUpperCase(Locale.ROOT))) {
            return null;
        }
        String normalized = envName(name);
        for (Key key : Key.values()) {
            if (!key.perAccount() && envName(key.key()).equals(normalized)) {
                return key.key();
            }
        }
        for (Key key : Key.values()) {
            if (!key.perAccount()) {
                continue;
            }
            String prefix = envName(key.prefix());
            String suffix = envName(key.suffix());
            if (normalized.startsWith(prefix) && normalized.endsWith(suffix)
                    && normalized.length() > prefix.length() + suffix.length()) {
                return key.key(middle(normalized, prefix, suffix));
            }
        }
        return null;
    }

    /** What the name was likely meant as, when its spelling only differs in case or separators. */
    private static String hint(String name) {
        String meant = KefuSettings.DEFAULTS.keySet().stream().filter(k -> envName(k).equals(envName(name)))
                .findFirst().orElse(null);
        if (meant == null) {
            return "";
        }
        return " (did you mean " + meant + ", or " + envName(meant) + " in the environment?)";
    }

    /** The variable Camel reads for a key: upper case, dots and dashes as underscores. */
    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static String middle(String name, String prefix, String suffix) {
        return name.substring(prefix.length(), name.length() - suffix.length()).toLowerCase(Locale.ROOT);
    }
}
