package dev.kefurelay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * The property table of docs/configuration.md is the key table ({@link Key}) rendered: a key added, renamed or
 * given another default, rule, secrecy or description without the page changed fails here with the table to paste;
 * {@code -Ddocs.update=true} writes it.
 */
class ConfigurationDocsTest {

    private static final Path PAGE = Path.of("docs", "configuration.md");
    // the relay's tests run in the project's root (surefire's workingDirectory)
    private static final String START = "<!-- generated: kefu settings -->\n";
    private static final String END = "<!-- end: kefu settings -->";

    @Test
    void thePageListsEveryKeyAsTheKeyTableHasIt() throws IOException {
        String expected = table();
        String page = Files.readString(PAGE, StandardCharsets.UTF_8);
        int from = page.indexOf(START);
        int to = page.indexOf(END);
        if (Boolean.getBoolean("docs.update") && from >= 0 && to > from) {
            Files.writeString(PAGE, page.substring(0, from + START.length()) + expected + page.substring(to),
                    StandardCharsets.UTF_8);
            return;
        }
        String actual = from >= 0 && to > from ? page.substring(from + START.length(), to)
                : "(no section marked " + START.strip() + " ... " + END + ")";
        assertEquals(expected, actual, PAGE + "'s table of the kefu.* settings is not what the key table says: "
                + "paste the expected table, or run this test with -Ddocs.update=true");
    }

    /** Each secret row is one the start summary masks, and each row the relay reads has a description. */
    @Test
    void everyRowIsComplete() {
        for (Key key : Key.values()) {
            assertTrue(key.key().startsWith("kefu."), key.key());
            assertTrue(!key.description().isBlank(), key.key() + " has no description");
            assertEquals(key.secret(), KefuSettings.isSecret(key.key("wxa")), key.key());
        }
    }

    /** One row per key: name, type (and whether it is a secret), default, description. */
    static String table() {
        StringBuilder out = new StringBuilder("| property | type | default | description |\n|---|---|---|---|\n");
        for (Key key : Key.values()) {
            String type = key.rule().type() + (key.secret() ? ", secret" : "");
            String def = key.defaultValue().isEmpty() ? "" : "`" + key.defaultValue() + "` ";
            out.append("| `").append(key.key()).append("` | ").append(type).append(" | ").append(def).append("| ")
                    .append(key.description().replace("|", "\\|").replace("\n", " ")).append(" |\n");
        }
        return out.toString();
    }
}
