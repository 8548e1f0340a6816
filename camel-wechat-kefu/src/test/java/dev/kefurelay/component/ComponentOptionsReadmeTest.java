package dev.kefurelay.component;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * The README's option tables of the component are the catalog metadata that camel-package-maven-plugin generates
 * from the annotated classes (the same JSON IDE plugins, Karavan and {@code camel catalog} read), rendered. A changed
 * option without the README changed fails here with the table to paste; {@code -Dreadme.update=true} writes it.
 */
class ComponentOptionsReadmeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path README = Path.of("..", "README.md");
    private static final String CATALOG = "META-INF/dev/kefurelay/component/wechat-kefu.json";

    @Test
    void theReadmeListsTheComponentOptionsAsTheCatalogHasThem() throws IOException {
        check("component options", table(catalog().path("componentProperties"), "camel.component.wechat-kefu."));
    }

    @Test
    void theReadmeListsTheEndpointOptionsAsTheCatalogHasThem() throws IOException {
        check("endpoint options", table(catalog().path("properties"), ""));
    }

    private static JsonNode catalog() throws IOException {
        try (InputStream in = WeChatKefuComponent.class.getClassLoader().getResourceAsStream(CATALOG)) {
            if (in == null) {
                throw new IllegalStateException("no " + CATALOG + " on the classpath: camel-package-maven-plugin "
                        + "generates it in the build");
            }
            return JSON.readTree(in);
        }
    }

    /** One row per option: name (kebab case under {@code prefix}), type, default, description. */
    static String table(JsonNode options, String prefix) {
        StringBuilder out = new StringBuilder("| option | type | default | description |\n|---|---|---|---|\n");
        for (Iterator<Map.Entry<String, JsonNode>> it = options.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> option = it.next();
            JsonNode o = option.getValue();
            String name = o.path("kind").asText().equals("path") ? "(path) `" + option.getKey() + "`"
                    : "`" + prefix + (prefix.isEmpty() ? option.getKey() : kebab(option.getKey())) + "`";
            String type = o.path("type").asText() + (o.path("secret").asBoolean() ? ", secret" : "");
            String def = o.has("defaultValue") ? "`" + o.path("defaultValue").asText() + "`" : "";
            String description = o.path("description").asText().replace("|", "\\|").replace("\n", " ");
            out.append("| ").append(name).append(" | ").append(type).append(" | ").append(def).append(" | ")
                    .append(description).append(" |\n");
        }
        return out.toString();
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static void check(String which, String expected) throws IOException {
        String start = "<!-- generated: wechat-kefu " + which + " -->\n";
        String end = "<!-- end: wechat-kefu " + which + " -->";
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        int from = readme.indexOf(start);
        int to = readme.indexOf(end);
        if (Boolean.getBoolean("readme.update") && from >= 0 && to > from) {
            Files.writeString(README, readme.substring(0, from + start.length()) + expected + readme.substring(to),
                    StandardCharsets.UTF_8);
            return;
        }
        String actual = from >= 0 && to > from ? readme.substring(from + start.length(), to) : "(no section marked "
                + start.strip() + " ... " + end + ")";
        assertEquals(expected, actual, "README.md's table of the " + which + " is not what the catalog says: "
                + "paste the expected table, or run this test with -Dreadme.update=true");
    }
}
