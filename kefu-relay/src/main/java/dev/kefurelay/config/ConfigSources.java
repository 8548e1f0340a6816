package dev.kefurelay.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Gathers {@code kefu.*} properties, later sources winning: {@code application.properties} on the classpath,
 * {@code application.properties} in the working folder, environment variables ({@code KEFU_WECHAT_BASE_URL}
 * for {@code kefu.wechat.base-url}), {@code -D} system properties, then explicit overrides.
 */
public final class ConfigSources {

    public static final String FILE = "application.properties";

    private ConfigSources() {
    }

    public static Map<String, String> collect(Map<String, String> overrides) {
        Map<String, String> all = new LinkedHashMap<>();
        putKefu(all, classpathFile());
        putKefu(all, workingFolderFile(Path.of(FILE)));
        all.putAll(fromEnvironment(System.getenv()));
        putKefu(all, System.getProperties());
        all.putAll(overrides);
        return all;
    }

    /**
     * Environment names lose dots and dashes, so each is matched against the known keys' spellings; the
     * per-account keys are rebuilt from their pattern, the appid taken in lower case as WeChat writes it.
     */
    static Map<String, String> fromEnvironment(Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, String> byEnvName = new LinkedHashMap<>();
        for (String key : KefuSettings.KNOWN_KEYS) {
            byEnvName.put(envName(key), key);
        }
        env.forEach((name, value) -> {
            if (!name.startsWith("KEFU_")) {
                return;
            }
            String key = byEnvName.get(name);
            if (key == null && name.startsWith("KEFU_ACCOUNTS_") && name.endsWith("_SECRET")) {
                key = "kefu.accounts." + middle(name, "KEFU_ACCOUNTS_", "_SECRET") + ".secret";
            } else if (key == null && name.startsWith("KEFU_AUTHORIZERS_") && name.endsWith("_REFRESH_TOKEN")) {
                key = "kefu.authorizers." + middle(name, "KEFU_AUTHORIZERS_", "_REFRESH_TOKEN") + ".refresh-token";
            }
            out.put(key != null ? key : name.toLowerCase(Locale.ROOT).replace('_', '.'), value);
        });
        return out;
    }

    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static String middle(String name, String prefix, String suffix) {
        return name.substring(prefix.length(), name.length() - suffix.length()).toLowerCase(Locale.ROOT);
    }

    private static void putKefu(Map<String, String> into, Properties props) {
        for (String name : props.stringPropertyNames()) {
            if (name.startsWith("kefu.")) {
                into.put(name, props.getProperty(name));
            }
        }
    }

    private static Properties classpathFile() {
        Properties props = new Properties();
        try (InputStream in = ConfigSources.class.getClassLoader().getResourceAsStream(FILE)) {
            if (in != null) {
                props.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new ConfigException("cannot read " + FILE + " from the classpath: " + e.getMessage());
        }
        return props;
    }

    private static Properties workingFolderFile(Path file) {
        Properties props = new Properties();
        if (Files.isRegularFile(file)) {
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                props.load(in);
            } catch (IOException e) {
                throw new ConfigException("cannot read " + file.toAbsolutePath() + ": " + e.getMessage());
            }
        }
        return props;
    }
}
