package dev.kefurelay.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** GETs of the relay's health and metrics endpoints, and reading a Prometheus sample. */
public final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public record Reply(int status, String body) {
    }

    private Http() {
    }

    public static Reply get(String url) {
        try {
            HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body());
        } catch (IOException e) {
            return new Reply(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The value of the sample with this name whose labels include these (order free), or NaN if there is
     * none. Fails if more than one sample matches, so a test never reads the wrong one by accident.
     */
    public static double sample(String metrics, String name, Map<String, String> labels) {
        Pattern line = Pattern.compile("^" + Pattern.quote(name) + "(\\{(.*)\\})? (\\S+)$", Pattern.MULTILINE);
        Matcher m = line.matcher(metrics);
        Double found = null;
        while (m.find()) {
            String have = m.group(2) == null ? "" : m.group(2);
            boolean all = labels.entrySet().stream()
                    .allMatch(e -> have.contains(e.getKey() + "=\"" + e.getValue() + "\""));
            if (all) {
                if (found != null) {
                    throw new AssertionError("more than one " + name + " sample with " + labels);
                }
                found = Double.parseDouble(m.group(3));
            }
        }
        return found == null ? Double.NaN : found;
    }
}
