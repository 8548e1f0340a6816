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
 * The option and header tables of the component's page (docs/component.md) are the catalog metadata that
 * camel-package-maven-plugin generates from the annotated classes (the same JSON IDE plugins, Karavan and
 * {@code camel catalog} read), rendered. A changed option or header without the page changed fails here with the
 * table to paste; {@code -Ddocs.update=true} writes it.
 */
class ComponentDocsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path PAGE = Path.of("..", "docs", "component.md");
    private static final String CATALOG = "META-INF/dev/kefurelay/component/wechat-kefu.json";

    @Test
    void thePageListsTheComponentOptionsAsTheCatalogHasThem() throws IOException {
        check("component options", table(catalog().path("componentProperties"), "camel.component.wechat-kefu."));
    }

    @Test
    void thePageListsTheEndpointOptionsAsTheCatalogHasThem() throws IOException {
        check("endpoint options", table(catalog().path("properties"), ""));
    }

    @Test
    void thePageListsTheHeadersAsTheCatalogHasThem() throws IOException {
        check("headers", headers(catalog().path("headers")));
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

    /** One row per header: name, Java type, description. */
    static String headers(JsonNode headers) {
        StringBuilder out = new StringBuilder("| header | type | description |\n|---|---|---|\n");
        for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> header = it.next();
            out.append("| `").append(header.getKey()).append("` | `").append(header.getValue().path("javaType").asText())
                    .append("` | ").append(header.getValue().path("description").asText().replace("|", "\\|")
                            .replace("\n", " ")).append(" |\n");
        }
        return out.toString();
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static void check(String which, String expected) throws IOException {
        String start = "<!-- generated: wechat-kefu " + which + " -->\n";
        String end = "<!-- end: wechat-kefu " + which + " -->";
        String page = Files.readString(PAGE, StandardCharsets.UTF_8);
        int from = page.indexOf(start);
        int to = page.indexOf(end);
        if (Boolean.getBoolean("docs.update") && from >= 0 && to > from) {
            Files.writeString(PAGE, page.substring(0, from + start.length()) + expected + page.substring(to),
                    StandardCharsets.UTF_8);
            return;
        }
        String actual = from >= 0 && to > from ? page.substring(from + start.length(), to) : "(no section marked "
                + start.strip() + " ... " + end + ")";
        assertEquals(expected, actual, PAGE + "'s table of the " + which + " is not what the catalog says: "
                + "paste the expected table, or run this test with -Ddocs.update=true");
    }
}
