package dev.kefurelay.component.springboot;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kefurelay.component.WeChatKefuComponent;
import org.springframework.beans.BeanWrapper;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * Masks the component's secrets wherever the actuator shows configuration. By key: the options the component marks
 * {@code secret} in its catalog (the appsecrets, the platform's secret and ticket, the maps of account secrets and
 * refresh tokens, each entry of them), under any spelling Spring Boot binds from ({@code component-secret},
 * {@code componentSecret}, {@code accounts[wx…]}, {@code CAMEL_COMPONENT_WECHATKEFU_SECRET}). By value: whatever
 * holds the value of one of those options, such as the environment variable a placeholder took it from
 * ({@code secret=${WECHAT_SECRET}}), whose name the component cannot know.
 */
public final class WeChatKefuSecrets implements SanitizingFunction {

    static final String CATALOG = "META-INF/dev/kefurelay/component/wechat-kefu.json";
    private static final String PREFIX = "camel.component.wechatkefu.";

    /** The secret options' names as the catalog has them. */
    private final Set<String> options;
    /** The same, lower case without dashes. */
    private final Set<String> secrets;
    /** The bound options, whose secret values are masked wherever they show; null while there are none. */
    private final Supplier<Object> bound;

    /**
     * @param bound the options as bound ({@link WeChatKefuComponentConfiguration}), read at each use: null when the
     *              component is not bound
     */
    public WeChatKefuSecrets(Set<String> secretOptions, Supplier<Object> bound) {
        Set<String> normal = new HashSet<>();
        secretOptions.forEach(name -> normal.add(normal(name)));
        this.options = Set.copyOf(secretOptions);
        this.secrets = Set.copyOf(normal);
        this.bound = bound;
    }

    /** The names of the options the component's catalog marks secret. */
    public static Set<String> catalogSecrets() {
        try (InputStream in = WeChatKefuComponent.class.getClassLoader().getResourceAsStream(CATALOG)) {
            if (in == null) {
                throw new IllegalStateException("no " + CATALOG + " on the classpath: is camel-wechat-kefu there?");
            }
            Set<String> names = new HashSet<>();
            JsonNode options = new ObjectMapper().readTree(in).path("componentProperties");
            for (Iterator<Map.Entry<String, JsonNode>> it = options.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> option = it.next();
                if (option.getValue().path("secret").asBoolean()) {
                    names.add(option.getKey());
                }
            }
            return Set.copyOf(names);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public SanitizableData apply(SanitizableData data) {
        boolean secret = isSecret(data.getKey())
                || data.getValue() instanceof CharSequence value && secretValues().contains(value.toString());
        return secret ? data.withValue(SanitizableData.SANITIZED_VALUE) : data;
    }

    /** The values of the bound secret options (a map's entries each), none blank. */
    Set<String> secretValues() {
        Object options = bound.get();
        if (options == null) {
            return Set.of();
        }
        BeanWrapper bean = new BeanWrapperImpl(options);
        Set<String> values = new HashSet<>();
        for (String option : this.options) {
            Object value = bean.isReadableProperty(option) ? bean.getPropertyValue(option) : null;
            if (value instanceof Map<?, ?> map) {
                map.values().forEach(v -> add(values, v));
            } else {
                add(values, value);
            }
        }
        return values;
    }

    private static void add(Set<String> values, Object value) {
        if (value != null && !value.toString().isBlank()) {
            values.add(value.toString());
        }
    }

    /** Whether the key is a secret option of the component, or an entry of one (a map's). */
    boolean isSecret(String key) {
        if (key == null) {
            return false;
        }
        String k = normal(key.replace('_', '.').replace('[', '.').replace("]", ""));
        if (!k.startsWith(PREFIX)) {
            return false;
        }
        String rest = k.substring(PREFIX.length());
        int dot = rest.indexOf('.');
        return secrets.contains(dot < 0 ? rest : rest.substring(0, dot));
    }

    private static String normal(String name) {
        return name.replace("-", "").toLowerCase(Locale.ROOT);
    }
}
