package dev.kefurelay.store;

import static dev.kefurelay.store.ScaleOutCluster.AUTHORIZERS;
import static dev.kefurelay.store.ScaleOutCluster.COMPONENT;
import static dev.kefurelay.store.ScaleOutCluster.USER;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.testkit.JmsTestClient;
import dev.kefurelay.testkit.RelayProcess;

/**
 * One mode's run in {@link ScaleOutIT}: its store database, its message ids, its relays, and the checks of what
 * WeChat and the store saw.
 */
final class ScaleOutRun {

    static final int MESSAGES = 3000;
    /**
     * Sandbox token lifetime and the relays' refresh-ahead: a token is renewed every 3 s. The 2 s ahead leave a send
     * that a loaded machine holds up between the relay's check and WeChat's that long before its token expires.
     */
    static final Duration TOKEN_LIFE = Duration.ofSeconds(5);
    static final Duration REFRESH_AHEAD = Duration.ofSeconds(2);
    static final Duration LOCK_TIMEOUT = Duration.ofSeconds(5);

    private final ScaleOutCluster cluster;
    private final WeChatSandbox sandbox;
    final String mode;
    /** Names this run's ids, folders and connections: the token mode, or a name of its own. */
    final String name;
    final String db;
    final List<String> accounts;
    final String brokerUrlOfRelays;
    final String producerUrl;
    final int messages;
    final DataSource data;
    private final int deliveredAtStart;
    private final Map<String, Integer> fetchesAtStart = new LinkedHashMap<>();
    private int started;
    private long startNanos;
    private long endNanos;

    ScaleOutRun(ScaleOutCluster cluster, String mode, String db, List<String> accounts, String brokerUrlOfRelays) {
        this(cluster, mode, mode, db, accounts, brokerUrlOfRelays, cluster.brokerUrl, MESSAGES);
    }

    ScaleOutRun(ScaleOutCluster cluster, String name, String mode, String db, List<String> accounts,
            String brokerUrlOfRelays, String producerUrl, int messages) {
        this.cluster = cluster;
        this.sandbox = cluster.sandbox;
        this.name = name;
        this.mode = mode;
        this.db = db;
        this.accounts = accounts;
        this.brokerUrlOfRelays = brokerUrlOfRelays;
        this.producerUrl = producerUrl;
        this.messages = messages;
        this.data = TestPostgres.dataSource(db);
        sandbox.reset();
        sandbox.tokenLifetime(TOKEN_LIFE);
        deliveredAtStart = sandbox.deliveredCount();
        accounts.forEach(a -> fetchesAtStart.put(a, sandbox.tokenFetches(a)));
    }

    List<RelayProcess> startRelays(int n) {
        List<RelayProcess> relays = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int index = started++;
            Map<String, String> p = new LinkedHashMap<>();
            p.put("kefu.wechat.base-url", sandbox.baseUrl());
            p.put("kefu.token.mode", mode);
            p.put("kefu.token.refresh-ahead", REFRESH_AHEAD.toMillis() + "ms");
            if (mode.equals("component")) {
                p.put("kefu.component.appid", COMPONENT);
                p.put("kefu.component.secret", "component-secret");
                p.put("kefu.component.ticket", "scale-ticket");
                AUTHORIZERS.forEach(a -> p.put("kefu.authorizers." + a + ".refresh-token", a + "-refresh-0"));
            } else {
                p.put("kefu.appid", accounts.get(0));
                p.put("kefu.secret", accounts.get(0) + "-secret");
                accounts.subList(1, accounts.size()).forEach(a -> p.put("kefu.accounts." + a + ".secret",
                        a + "-secret"));
            }
            // which relay holds a lock is seen in pg_stat_activity by its application name
            p.put("kefu.store.url", TestPostgres.url(db) + "?ApplicationName=" + name + "-relay-" + (index % 3));
            p.put("kefu.store.user", "postgres");
            p.put("kefu.store.lock-timeout", LOCK_TIMEOUT.toMillis() + "ms");
            p.put("kefu.broker.url", brokerUrlOfRelays);
            p.put("kefu.http.port", "0");
            p.put("kefu.retry.delay", "100ms");
            p.put("kefu.retry.max-delay", "1s");
            p.put("kefu.retry.max", "8");
            Path folder = cluster.dir.resolve(name + "-relay-" + index);
            p.put("kefu.inbox.dir", folder.resolve("inbox").toString());
            p.put("kefu.store.dir", folder.resolve("store").toString());
            relays.add(cluster.startRelay(folder, p));
        }
        relays.forEach(r -> r.awaitStarted());
        return relays;
    }

    String id(int i) {
        return name + "-" + i;
    }

    String message(int i) {
        return "{\"id\":\"" + id(i) + "\",\"appid\":\"" + accounts.get(i % accounts.size()) + "\",\"touser\":\""
                + USER + "\",\"msgtype\":\"text\",\"text\":{\"content\":\"" + id(i) + "\"}}";
    }

    /**
     * 95% of the ids once over the queue; every 20th id twice at the same moment, through the inboxes of the
     * first two relays. {@code midRun} runs while the messages are being delivered.
     */
    void sendAll(List<RelayProcess> relays, MidRun midRun) throws Exception {
        StringBuilder twice = new StringBuilder();
        startNanos = System.nanoTime();
        try (JmsTestClient jms = new JmsTestClient(producerUrl, "kefu.outbound")) {
            for (int i = 0; i < messages; i++) {
                if (i % 20 == 0) {
                    twice.append(message(i)).append('\n');
                } else {
                    jms.sendText(message(i));
                }
            }
        }
        for (int r = 0; r < 2; r++) {
            Path inbox = cluster.dir.resolve(name + "-relay-" + r).resolve("inbox");
            Files.createDirectories(inbox);
            Files.writeString(inbox.resolve("twice.jsonl.part"), twice);
        }
        for (int r = 0; r < 2; r++) {
            Path inbox = cluster.dir.resolve(name + "-relay-" + r).resolve("inbox");
            Files.move(inbox.resolve("twice.jsonl.part"), inbox.resolve("twice.jsonl"),
                    StandardCopyOption.ATOMIC_MOVE);
        }
        midRun.run();
    }

    int delivered() {
        return sandbox.deliveredCount() - deliveredAtStart;
    }

    /** Message ids of this run that WeChat got, each once however often. */
    long distinctDelivered() {
        return deliveredIds().keySet().size();
    }

    private Map<String, Long> deliveredIds() {
        return sandbox.delivered().stream().map(d -> d.body().path("text").path("content").asText())
                .filter(c -> c.startsWith(name + "-"))
                .collect(Collectors.groupingBy(c -> c, TreeMap::new, Collectors.counting()));
    }

    /** Waits until every id arrived; returns how many arrived twice, which must be at most {@code maxTwice}. */
    int awaitAllDeliveredOnce(int maxTwice) {
        await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(250))
                .until(() -> distinctDelivered() == messages);
        endNanos = System.nanoTime();
        Map<String, Long> ids = deliveredIds();
        List<String> twice = ids.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
        assertTrue(twice.size() <= maxTwice, twice.size() + " delivered more than once: " + twice);
        // the ids sent twice on purpose through two relays at once: each went out once
        assertTrue(twice.stream().noneMatch(id -> Integer.parseInt(id.substring(name.length() + 1)) % 20 == 0),
                "an id sent twice at once was delivered twice: " + twice);
        return twice.size();
    }

    long elapsedMs() {
        return (endNanos - startNanos) / 1_000_000;
    }

    /**
     * One fetch per account per token life for the whole cluster: a token is renewed {@code REFRESH_AHEAD}
     * before its end, so at most one fetch per (life - refresh-ahead) of the run, plus the first; three relays
     * each fetching for themselves would need three times that.
     */
    void assertOneFetchPerTokenLife(List<String> which) {
        long usableMs = TOKEN_LIFE.minus(REFRESH_AHEAD).toMillis();
        long lives = elapsedMs() / usableMs + 1;
        for (String a : which) {
            int fetches = sandbox.tokenFetches(a) - fetchesAtStart.get(a);
            System.out.printf("  %s: %d token fetches in %d ms (%d token lives of %d ms usable)%n", a, fetches,
                    elapsedMs(), lives, usableMs);
            assertTrue(fetches >= 2, a + ": several token lives passed, " + fetches + " fetches");
            assertTrue(fetches <= lives + 1, a + ": " + fetches + " fetches for " + lives + " token lives");
        }
    }

    /** Calls to the store (PostgreSQL transactions) per delivered message, all relays together. */
    void printStoreCalls(List<RelayProcess> relays) {
        double calls = ScaleOutCluster.sum(relays, "kefu_store_latency_seconds_count");
        double delivered = ScaleOutCluster.sum(relays, "kefu_messages_delivered_total");
        System.out.printf("  store: %.0f calls for %.0f delivered messages: %.2f per message%n", calls, delivered,
                calls / delivered);
        // a message with an id: its claim, its record and its place in the user's window (the window book); the
        // token renewals add a little. A per-message look-up creeping in (an authorizer check, a pause) shows here
        assertTrue(calls / delivered < 3.5, calls / delivered + " store calls per message");
    }

    /** The application name of the relay holding a token lock while WeChat answers its token request. */
    String awaitLockHolder() throws Exception {
        String[] holder = new String[1];
        try (Connection c = data.getConnection(); Statement s = c.createStatement()) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
                try (ResultSet r = s.executeQuery("SELECT application_name FROM pg_stat_activity WHERE state = "
                        + "'idle in transaction' AND query LIKE '%FROM kefu_token%FOR UPDATE%'")) {
                    holder[0] = r.next() ? r.getString(1) : null;
                }
                return holder[0] != null && holder[0].startsWith(name + "-relay-");
            });
        }
        return holder[0];
    }

    Optional<String> stored(String key) throws Exception {
        try (Connection c = data.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT value FROM kefu_secret WHERE key = ?")) {
            s.setString(1, key);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
            }
        }
    }

    void assertNoSecretInLogs(List<RelayProcess> relays) {
        List<String> secrets = new ArrayList<>(sandbox.issuedTokens());
        AUTHORIZERS.forEach(a -> Optional.ofNullable(sandbox.currentRefreshToken(a)).ifPresent(secrets::add));
        accounts.forEach(a -> secrets.add(a + "-secret"));
        for (RelayProcess r : relays) {
            String out = r.output();
            for (String secret : secrets) {
                assertFalse(out.contains(secret), "a secret in a relay's log");
            }
        }
    }

    @FunctionalInterface
    interface MidRun {
        void run() throws Exception;
    }
}
