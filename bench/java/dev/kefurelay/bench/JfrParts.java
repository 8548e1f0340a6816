package dev.kefurelay.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * What the relay's JMS consumer threads do with their CPU, by part: each execution sample of a thread whose name
 * contains the filter (default {@code JmsConsumer[}) goes to the first part in {@link #PARTS} with one of its
 * methods on the sample's stack. The component's share is its work; the rest is the JMS edge around it (Camel's
 * listener, exchange and route engine, Spring's listener container) and the broker's client (receive, commit),
 * which broker-only's consumers do too.
 *
 * <p>{@code java bench/java/dev/kefurelay/bench/JfrParts.java <relay-5.jfr> [CPU ms/msg of those threads [thread
 * filter]]}: with the threads' CPU per message (the phase line's "JMS consumers"), each part in ms a message too.
 */
public final class JfrParts {

    /** Part, and the methods (class.method, a prefix of it) that put a sample in it: the first part found wins. */
    private static final Map<String, List<String>> PARTS = new LinkedHashMap<>();

    static {
        PARTS.put("Camel's copy of the JMS headers", List.of("JmsMessage.populateInitialHeaders"));
        PARTS.put("the relay's metrics", List.of("dev.kefurelay.ops.RelayMetrics."));
        PARTS.put("the component's outcome line", List.of("dev.kefurelay.component.Outcomes.log"));
        PARTS.put("the component (the rest of it)", List.of("dev.kefurelay.component.WeChatKefuProducer.process"));
        PARTS.put("reading the body (JmsInput)", List.of("dev.kefurelay.broker.JmsInput.fromMessage"));
        PARTS.put("JMS receive (the broker's client)", List.of("ActiveMQMessageConsumer.receive"));
        PARTS.put("JMS commit (the broker's client and BatchCommits)",
                List.of("ActiveMQSession.commit", ".commitIfNecessary"));
        PARTS.put("Camel: creating the exchange", List.of("EndpointMessageListener.createExchange"));
        PARTS.put("Camel: the dead-letter filter", List.of("org.apache.camel.processor.FilterProcessor."));
        PARTS.put("Camel: the routes (engine, units of work, direct:, stream caching, events)",
                List.of("EndpointMessageListener.onMessage"));
        PARTS.put("Spring's listener container",
                List.of("DefaultMessageListenerContainer$AsyncMessageListenerInvoker"));
    }

    private JfrParts() {
    }

    public static void main(String[] args) throws IOException {
        double msPerMessage = args.length > 1 ? Double.parseDouble(args[1]) : 0;
        String threads = args.length > 2 ? args[2] : "JmsConsumer[";
        Map<String, Integer> counts = new LinkedHashMap<>();
        PARTS.keySet().forEach(part -> counts.put(part, 0));
        counts.put("other", 0);
        int samples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
            RecordedThread thread = e.getEventType().getName().equals("jdk.ExecutionSample")
                    ? e.getThread("sampledThread") : null;
            RecordedStackTrace stack = e.getStackTrace();
            if (thread == null || thread.getJavaName() == null || !thread.getJavaName().contains(threads)
                    || stack == null) {
                continue;
            }
            samples++;
            counts.merge(part(stack), 1, Integer::sum);
        }
        System.out.printf("%s: %d execution samples of threads named *%s*%n", args[0], samples, threads);
        for (Map.Entry<String, Integer> c : counts.entrySet()) {
            double share = samples == 0 ? 0 : (double) c.getValue() / samples;
            System.out.printf("%6.1f%%  %6d  %s%s%n", 100 * share, c.getValue(), c.getKey(),
                    msPerMessage > 0 ? String.format(" (%.3f ms/msg)", share * msPerMessage) : "");
        }
    }

    private static String part(RecordedStackTrace stack) {
        List<String> methods = new ArrayList<>();
        for (RecordedFrame f : stack.getFrames()) {
            methods.add(f.getMethod().getType().getName() + "." + f.getMethod().getName());
        }
        for (Map.Entry<String, List<String>> part : PARTS.entrySet()) {
            for (String marker : part.getValue()) {
                for (String method : methods) {
                    if (method.contains(marker)) {
                        return part.getKey();
                    }
                }
            }
        }
        return "other";
    }
}
