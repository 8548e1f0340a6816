package dev.kefurelay.component.springboot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * The starter's configuration class and converter are what the component's catalog renders to
 * ({@link StarterSources}): an option added, changed or removed in the component fails here until the starter says
 * the same; {@code -Dstarter.update=true} rewrites them. So the starter binds every option, with the catalog's
 * description and default, and its configuration metadata (written from that class by
 * spring-boot-configuration-processor) cannot drift from the component.
 */
class StarterSourcesTest {

    private static final Path SOURCES = Path.of("src", "main", "java", "dev", "kefurelay", "component", "springboot");

    @Test
    void theConfigurationClassIsTheCatalogRendered() throws IOException {
        check(StarterSources.CONFIGURATION, StarterSources.configuration(Catalog.load()));
    }

    @Test
    void theConverterTakesABeanReferenceForEveryOptionThatIsABean() throws IOException {
        check(StarterSources.CONVERTER, StarterSources.converter(Catalog.load()));
    }

    @Test
    void theMetadataNamesTheOptionsTheProcessorLeavesOut() throws IOException {
        check(Path.of("src", "main", "resources", "META-INF", "additional-spring-configuration-metadata.json"),
                StarterSources.additionalMetadata(Catalog.load()));
    }

    private static void check(String className, String expected) throws IOException {
        check(SOURCES.resolve(className + ".java"), expected);
    }

    private static void check(Path file, String expected) throws IOException {
        if (Boolean.getBoolean("starter.update")) {
            Files.writeString(file, expected, StandardCharsets.UTF_8);
            return;
        }
        String actual = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "(no " + file + ")";
        assertEquals(expected, actual, file + " is not what the component's catalog renders to: run this test with "
                + "-Dstarter.update=true, then build again");
    }
}
