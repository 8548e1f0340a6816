package dev.kefurelay.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a recording's CPU samples are: per thread (digits in names folded), per library of the sampled frame
 * (self), the top methods sampled (self) and the top methods on the sampled stacks (inclusive: once per sample).
 * Reads {@code jdk.ExecutionSample} only: threads running Java code; time in the kernel (socket reads and writes,
 * parking) shows as the Java frame that called it only when the thread was sampled in Java.
 *
 * <p>{@code java bench/java/dev/kefurelay/bench/JfrTop.java <file.jfr> [top [method]]} (a single-file program;
 * with a method, e.g. {@code WeChatClient.call}, only the samples with it on the stack, and what it called), e.g. on
 * the per-phase recordings of {@code -Dbench.jfr=/tmp/jfr} (docs/performance.md, Profiles).
 */
public final class JfrTop {

    /** Package prefixes to the library a frame belongs to; the first match wins, the rest is "other". */
    private static final Map<String, String> LIBRARIES = new LinkedHashMap<>();

    static {
        LIBRARIES.put("dev.kefurelay.bench.", "benchmark (callers)");
        LIBRARIES.put("dev.kefurelay.", "kefu-relay / component");
        LIBRARIES.put("org.apache.camel.", "Camel");
        LIBRARIES.put("org.apache.hc.", "Apache HttpClient 5");
        LIBRARIES.put("org.apache.http.", "Apache HttpClient 4");
        LIBRARIES.put("me.chanjar.weixin.", "WxJava");
        LIBRARIES.put("com.google.gson.", "Gson");
        LIBRARIES.put("com.fasterxml.jackson.", "Jackson");
        LIBRARIES.put("com.github.benmanes.caffeine.", "Caffeine");
        LIBRARIES.put("org.apache.logging.", "Log4j");
        LIBRARIES.put("org.slf4j.", "SLF4J");
        LIBRARIES.put("org.apache.commons.logging.", "commons-logging");
        LIBRARIES.put("java.util.concurrent.", "java.util.concurrent");
        LIBRARIES.put("jdk.internal.misc.Unsafe", "java.util.concurrent");
        LIBRARIES.put("java.util.regex.", "regex");
        LIBRARIES.put("sun.nio.", "JDK sockets and NIO");
        LIBRARIES.put("java.net.", "JDK sockets and NIO");
        LIBRARIES.put("java.nio.", "JDK sockets and NIO");
        LIBRARIES.put("sun.net.", "JDK sockets and NIO");
        LIBRARIES.put("jdk.internal.net.", "JDK HTTP client");
        LIBRARIES.put("java.lang.String", "strings");
        LIBRARIES.put("java.lang.StringLatin1", "strings");
        LIBRARIES.put("java.lang.StringUTF16", "strings");
        LIBRARIES.put("java.lang.AbstractStringBuilder", "strings");
        LIBRARIES.put("java.lang.StringBuilder", "strings");
        LIBRARIES.put("java.lang.invoke.", "strings");
        LIBRARIES.put("java.util.", "java.util");
        LIBRARIES.put("java.lang.", "java.lang");
    }

    private JfrTop() {
    }

    public static void main(String[] args) throws IOException {
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        // with a third argument: only the samples with a method of that name on the stack, and inclusive counts
        // only of what that method called (the breakdown of its share)
        String focus = args.length > 2 ? args[2] : null;
        Map<String, Integer> threads = new HashMap<>();
        Map<String, Integer> libraries = new HashMap<>();
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        int samples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            RecordedStackTrace stack = e.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            List<RecordedFrame> frames = stack.getFrames();
            int below = frames.size();
            if (focus != null) {
                below = -1;
                for (int i = frames.size() - 1; i >= 0 && below < 0; i--) {
                    if (method(frames.get(i)).contains(focus)) {
                        below = i;
                    }
                }
                if (below < 0) {
                    continue;
                }
            }
            samples++;
            String thread = e.getThread("sampledThread") == null ? "?"
                    : e.getThread("sampledThread").getJavaName();
            threads.merge(thread == null ? "?" : thread.replaceAll("\\d+", "#"), 1, Integer::sum);
            String leaf = method(frames.get(0));
            self.merge(leaf, 1, Integer::sum);
            libraries.merge(library(leaf), 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame f : frames.subList(0, Math.min(frames.size(), below + 1))) {
                String m = method(f);
                if (seen.add(m)) {
                    inclusive.merge(m, 1, Integer::sum);
                }
            }
        }
        System.out.printf("%s: %d execution samples%s%n", args[0], samples,
                focus == null ? "" : " with " + focus + " on the stack");
        print("threads", threads, samples, top);
        print("self, by library of the sampled frame", libraries, samples, top);
        print("self, by method", self, samples, top);
        print("inclusive (on the stack), by method", inclusive, samples, top * 2);
    }

    private static String method(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static String library(String method) {
        for (Map.Entry<String, String> e : LIBRARIES.entrySet()) {
            if (method.startsWith(e.getKey())) {
                return e.getValue();
            }
        }
        String type = method.substring(0, Math.max(0, method.lastIndexOf('.')));
        return "other (" + type.substring(0, Math.max(0, type.lastIndexOf('.'))) + ")";
    }

    private static void print(String title, Map<String, Integer> counts, int samples, int top) {
        System.out.printf("%n-- %s --%n", title);
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(e -> System.out.printf("%6.1f%%  %6d  %s%n", 100.0 * e.getValue() / samples, e.getValue(),
                        e.getKey()));
    }
}
