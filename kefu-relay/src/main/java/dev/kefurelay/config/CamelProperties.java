package dev.kefurelay.config;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.kefurelay.token.TokenMode;
import org.apache.camel.spi.PropertiesComponent;

/**
 * The {@code camel.*} settings the relay derives from its own {@code kefu.*} ones, so that an operator sets
 * each thing once: the management server, the shutdown budget, the YAML edges.
 */
public final class CamelProperties {

    public static final String HEALTH_PATH = "/observe/health";
    public static final String METRICS_PATH = "/observe/metrics";
    /** A placeholder of the YAML routes the relay sets itself: no key of the operator's. */
    static final String COMPONENT_ENABLED = "kefu.component.enabled";

    private CamelProperties() {
    }

    /** @param routesFolder the working folder's {@code routes/}, used when it holds YAML routes */
    public static Map<String, String> derivedFrom(KefuSettings settings, Path routesFolder, PropertiesComponent pc) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("camel.main.shutdown-timeout",
                String.valueOf(Math.max(1, settings.http().shutdownTimeout().toSeconds())));
        // routes/component.camel.yaml's {{kefu.component.enabled}}: its JMS consumers run only in component mode
        out.put(COMPONENT_ENABLED, String.valueOf(settings.tokenMode() == TokenMode.COMPONENT));
        out.putAll(managementSettings(settings));
        out.putAll(pushServerSettings(settings));
        String routes = routesIncludePattern(routesFolder, pc);
        if (routes != null) {
            out.put("camel.main.routes-include-pattern", routes);
        }
        return out;
    }

    /** Health and metrics on Camel's management HTTP server, loopback only unless kefu.http.bind says otherwise. */
    static Map<String, String> managementSettings(KefuSettings settings) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("camel.management.enabled", "true");
        out.put("camel.management.host", settings.http().bind());
        out.put("camel.management.port", String.valueOf(settings.http().port()));
        out.put("camel.management.health-check-enabled", "true");
        out.put("camel.management.health-path", HEALTH_PATH);
        out.put("camel.management.metrics-enabled", "true");
        out.put("camel.metrics.enabled", "true");
        out.put("camel.metrics.path", METRICS_PATH);
        return out;
    }

    /**
     * WeChat's pushes on Camel's main HTTP server, a port of their own (kefu.push.port; 0 = no push endpoints):
     * it faces WeChat through a reverse proxy while health and metrics stay on the management port. Vert.x refuses
     * a body beyond 4 × kefu.push.max-size itself; below that the relay's own check answers and logs it.
     */
    static Map<String, String> pushServerSettings(KefuSettings settings) {
        Map<String, String> out = new LinkedHashMap<>();
        SettingGroups.Push push = settings.push();
        out.put("camel.server.enabled", String.valueOf(push.on()));
        if (push.on()) {
            out.put("camel.server.host", push.bind());
            out.put("camel.server.port", String.valueOf(push.port()));
            out.put("camel.server.max-body-size", String.valueOf(4 * push.maxSize()));
        }
        return out;
    }

    /**
     * The YAML edges: those in {@code routes/} of the working folder when it has any, else the ones bundled in
     * the jar; null when the operator chose them (camel.main.routes-include-pattern in any of Camel's sources).
     */
    static String routesIncludePattern(Path folder, PropertiesComponent pc) {
        if (pc.resolveProperty("camel.main.routes-include-pattern").isPresent()
                || pc.resolveProperty("camel.main.routesIncludePattern").isPresent()) {
            return null;
        }
        if (Files.isDirectory(folder)) {
            try (DirectoryStream<Path> yaml = Files.newDirectoryStream(folder, "*.camel.yaml")) {
                if (yaml.iterator().hasNext()) {
                    return "file:" + folder + "/*.camel.yaml";
                }
            } catch (IOException e) {
                throw new ConfigException("cannot read " + folder.toAbsolutePath() + ": " + e.getMessage());
            }
        }
        return "classpath:routes/*.camel.yaml";
    }
}
