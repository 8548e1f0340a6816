package dev.kefurelay.component.springboot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * The configuration metadata Spring Boot's processor wrote (what an IDE completes and documents each key from) lists
 * every component option under {@code camel.component.wechat-kefu.}, with the catalog's description and default, and
 * nothing else but the starter's own switches.
 */
class ConfigurationMetadataTest {

    private static final String METADATA = "META-INF/spring-configuration-metadata.json";

    @Test
    void everyOptionIsDocumentedWithItsDescriptionAndDefault() throws IOException {
        Map<String, JsonNode> properties = starterMetadata();
        for (Catalog.Option o : Catalog.load().options()) {
            JsonNode p = properties.get(Catalog.PREFIX + o.key());
            assertNotNull(p, "no metadata for " + Catalog.PREFIX + o.key());
            assertEquals(o.documentation(), p.path("description").asText(), o.name());
            assertEquals(o.defaultValue(), p.has("defaultValue") ? p.path("defaultValue").asText() : null, o.name());
        }
    }

    @Test
    void itListsNoKeyTheComponentDoesNotHave() throws IOException {
        Set<String> expected = new TreeSet<>(Set.of(Catalog.PREFIX + "enabled", Catalog.PREFIX + "customizer.enabled"));
        Catalog.load().options().forEach(o -> expected.add(Catalog.PREFIX + o.key()));
        assertEquals(expected, new TreeSet<>(starterMetadata().keySet()));
    }

    /** The starter's metadata file (each Spring Boot jar on the classpath has one too). */
    private static Map<String, JsonNode> starterMetadata() throws IOException {
        Enumeration<URL> files = ConfigurationMetadataTest.class.getClassLoader().getResources(METADATA);
        while (files.hasMoreElements()) {
            try (InputStream in = files.nextElement().openStream()) {
                JsonNode root = new ObjectMapper().readTree(in);
                if (root.path("groups").findValuesAsText("name").contains("camel.component.wechat-kefu")) {
                    Map<String, JsonNode> properties = new HashMap<>();
                    root.path("properties").forEach(p -> properties.put(p.path("name").asText(), p));
                    return properties;
                }
            }
        }
        throw new AssertionError("no " + METADATA + " of the starter on the classpath: the build's "
                + "spring-boot-configuration-processor writes it");
    }

    @Test
    void theMetadataIsFound() throws IOException {
        assertTrue(starterMetadata().size() > 30);
    }
}
