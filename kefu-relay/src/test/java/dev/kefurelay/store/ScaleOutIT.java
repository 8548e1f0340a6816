package dev.kefurelay.store;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
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
import dev.kefurelay.testkit.Http;
import dev.kefurelay.testkit.JmsTestClient;
import dev.kefurelay.testkit.RelayProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several relays as one service, as an operator runs them: three packaged relays in their own JVMs, competing
 * consumers on one broker (the relay jar in kefu.mode=broker), sharing one PostgreSQL store, against one sandbox
 * WeChat whose tokens live only a few seconds, so that many token lives pass during a run. Each token mode sends
 * 3,000 messages; 5% of the ids are sent twice at the same moment through two relays' inboxes.
 */
class ScaleOutIT {

    static final int MESSAGES = 3000;
    /**
     * Sandbox token lifetime and the relays' refresh-ahead: a token is renewed every 3 s. The 2 s ahead leave a send
     * that a loaded machine holds up between the relay's check and WeChat's that long before its token expires.
     */
    static final Duration TOKEN_LIFE = Duration.ofSeconds(5);
    static final Duration REFRESH_AHEAD = Duration.ofSeconds(2);
    /**
     * WeChat's answer time while a relay or the broker is killed mid-run: it bounds how fast the relays can go (each
     * JMS consumer sends one message at a time), so that the run cannot get from the kill's trigger to its end while
     * the test looks, nor be done by the first relay while the others still start, however loaded the machine is.
     */
    static final Duration MID_RUN_LATENCY = Duration.ofMillis(50);
    static final Duration LOCK_TIMEOUT = Duration.ofSeconds(5);
    static final String USER = "oUser";
    static final List<String> ACCOUNTS = List.of("wxscaleA00000001", "wxscaleB00000001");
    static final String COMPONENT = "wxscalecomponent1";
    static final List<String> AUTHORIZERS = List.of("wxscaleauth000001", "wxscaleauth000002", "wxscaleauth000003");

    @TempDir
    static Path dir;
    static WeChatSandbox sandbox;
    static RelayProcess broker;
    static String brokerUrl;
    static Path jar;
    /** Every process this class started: whatever a test left running (a failed start, say) ends with the class. */
    static final List<RelayProcess> STARTED = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        jar = RelayProcess.copyPackage(dir.resolve("app"));
        TestPostgres.server();
        sandbox = WeChatSandbox.start(0);
        ACCOUNTS.forEach(a -> sandbox.account(a, a + "-secret"));
        sandbox.component(COMPONENT, "component-secret");
        sandbox.verifyTicket("scale-ticket");
        AUTHORIZERS.forEach(a -> sandbox.authorizer(a, a + "-refresh-0"));
        broker = started(RelayProcess.start(jar, dir.resolve("broker"), Map.of("kefu.mode", "broker",
                "kefu.broker.port", "0", "kefu.broker.data-dir", dir.resolve("broker/data").toString())));
        brokerUrl = broker.awaitOutput("kefu broker started .*kefu.broker.url=(\\S+)", Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (broker != null) {
                broker.terminate(Duration.ofSeconds(30));
            }
        } finally {
            STARTED.forEach(RelayProcess::close);
            if (sandbox != null) {
                sandbox.close();
            }
        }
    }

    static RelayProcess started(RelayProcess process) {
        STARTED.add(process);
        return process;
    }

    /** Stable mode; one relay is killed (kill -9) a third of the way; then all restart and resends are duplicates. */
    @Test
    void stableTokensThreeRelaysOneKilledMidRunThenAllRestarted() throws Exception {
        String db = TestPostgres.newDatabase();
        Run run = new Run("stable", db, ACCOUNTS, brokerUrl);
        // every message waits on the queue before the relays start, so that the kill falls mid-run; at most 3 x 8
        // consumers / 50 ms = 480 messages a second: the 1,700 between the trigger and 90% take 3.5 s at least
        run.sendAll(List.of(), () -> { });
        sandbox.latency(MID_RUN_LATENCY);
        List<RelayProcess> relays = run.startRelays(3);
        try {
            // kill -9 of the third relay once a third is delivered: nothing lost, at most its in-flight twice
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20))
                    .until(() -> run.delivered() >= MESSAGES / 3);
            relays.get(2).kill();
            int atKill = run.delivered();
            assertTrue(atKill < MESSAGES * 9 / 10, atKill + " delivered when the relay died");
            System.out.printf("scale-out stable: relay 2 killed -9 with %d of %d delivered%n", atKill, MESSAGES);
            sandbox.latency(Duration.ZERO);
            int duplicates = run.awaitAllDeliveredOnce(8 + 8);
            System.out.printf("scale-out stable: %d messages by 3 relays (one killed mid-run) in %d ms, %d delivered "
                    + "twice after the kill -9 (its in-flight)%n", MESSAGES, run.elapsedMs(), duplicates);
            run.assertOneFetchPerTokenLife(ACCOUNTS);

            // every relay restarts: a resend of delivered ids is a duplicate, through any relay
            for (RelayProcess r : relays.subList(0, 2)) {
                r.terminate(Duration.ofSeconds(40));
            }
            List<RelayProcess> again = run.startRelays(3);
            relays.addAll(again);
            int before = sandbox.deliveredCount();
            try (JmsTestClient jms = new JmsTestClient(brokerUrl, "kefu.outbound")) {
                for (int i = 0; i < 30; i++) {
                    jms.sendText(run.message(i));
                }
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> sum(again, "kefu_messages_duplicate_total") == 30);
            assertEquals(before, sandbox.deliveredCount(), "no resend went out");
            run.assertNoSecretInLogs(relays);
        } finally {
            sandbox.latency(Duration.ZERO);
            keepLogs("stable", relays);
            relays.forEach(RelayProcess::close);
        }
    }

    /**
     * Client-credential mode, where a second relay's fetch used to end the first one's token; then the relay
     * holding an account's token lock is killed (kill -9) while WeChat is slow: the others go on.
     */
    @Test
    void clientCredentialTokensAndTheLockHolderKilled() throws Exception {
        String db = TestPostgres.newDatabase();
        Run run = new Run("client-credential", db, ACCOUNTS, brokerUrl);
        List<RelayProcess> relays = run.startRelays(3);
        try {
            run.sendAll(relays, () -> { });
            run.awaitAllDeliveredOnce(0);
            System.out.printf("scale-out client-credential: %d messages by 3 relays in %d ms%n", MESSAGES,
                    run.elapsedMs());
            run.assertOneFetchPerTokenLife(ACCOUNTS);
            run.printStoreCalls(relays);

            // WeChat slow (2 s a call) and every token expired: one relay renews under the lock, the others wait.
            // Tokens live long again: a token with only refresh-ahead (1 s) left could expire during a 2 s call
            sandbox.tokenLifetime(Duration.ofMinutes(5));
            sandbox.latency(Duration.ofSeconds(2));
            sandbox.expireTokens();
            int before = sandbox.deliveredCount();
            try (JmsTestClient jms = new JmsTestClient(brokerUrl, "kefu.outbound")) {
                for (int i = 0; i < 30; i++) {
                    jms.sendText(run.message(MESSAGES + i));
                }
            }
            String holder = run.awaitLockHolder();
            RelayProcess killed = relays.get(Integer.parseInt(holder.substring(holder.lastIndexOf('-') + 1)));
            long killedAt = System.nanoTime();
            killed.kill();
            await().atMost(LOCK_TIMEOUT.plusSeconds(30)).until(() -> run.distinctDelivered() == MESSAGES + 30);
            long goneOnMs = (System.nanoTime() - killedAt) / 1_000_000;
            System.out.printf("scale-out: the token lock holder (%s) killed -9; the other relays delivered the 30 "
                    + "waiting messages %d ms later (lock timeout %d ms, WeChat 2 s a call)%n", holder, goneOnMs,
                    LOCK_TIMEOUT.toMillis());
            assertTrue(sandbox.deliveredCount() - before >= 30);
            sandbox.latency(Duration.ZERO);
            run.assertNoSecretInLogs(relays);
        } finally {
            sandbox.latency(Duration.ZERO);
            keepLogs("client-credential", relays);
            relays.forEach(RelayProcess::close);
        }
    }

    /**
     * The broker itself dies (kill -9) mid-run and comes back on its port with its journal: the relays' rolled back
     * transactions are redelivered, nothing is lost, and what two relays took at once still goes out once.
     */
    @Test
    void aBrokerKilledMidRunLosesNothing() throws Exception {
        int port = freePort();
        Path data = dir.resolve("own-broker/data");
        Map<String, String> brokerProps = Map.of("kefu.mode", "broker", "kefu.broker.port", String.valueOf(port),
                "kefu.broker.data-dir", data.toString());
        RelayProcess own = started(RelayProcess.start(jar, dir.resolve("own-broker"), brokerProps));
        String url = own.awaitOutput("kefu broker started .*kefu.broker.url=(\\S+)", Duration.ofSeconds(60));
        Run run = new Run("broker-loss", "stable", TestPostgres.newDatabase(), ACCOUNTS, url + "?reconnectAttempts=-1", url,
                1000);
        // every message waits on the queue (and in the inboxes) before the relays start: the kill falls mid-run. At
        // most 2 x 8 consumers / 100 ms = 160 messages a second: the 600 between the trigger and 900 take 3.75 s at
        // least, and one relay alone needs 11 s for 900 while the other starts
        run.sendAll(List.of(), () -> { });
        sandbox.latency(MID_RUN_LATENCY.multipliedBy(2));
        List<RelayProcess> relays = run.startRelays(2);
        try {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20)).until(() -> run.delivered() >= 300);
            own.kill();
            int atKill = run.delivered();
            assertTrue(atKill < 900, atKill + " delivered when the broker died");
            System.out.printf("scale-out: broker killed -9 with %d of 1000 delivered%n", atKill);
            RelayProcess again = started(RelayProcess.start(jar, dir.resolve("own-broker"), brokerProps));
            again.awaitOutput("kefu broker started", Duration.ofSeconds(60));
            try {
                int twice = run.awaitAllDeliveredOnce(16);
                System.out.printf("scale-out: broker restarted: all 1000 delivered, %d twice (in flight when it "
                        + "died)%n", twice);
            } finally {
                keepLogs("broker-loss", relays);
                again.terminate(Duration.ofSeconds(30));
            }
        } finally {
            sandbox.latency(Duration.ZERO);
            relays.forEach(RelayProcess::close);
            own.close();
        }
    }

    /** Component mode with three authorizers; the relays reach the broker through a failover URL. */
    @Test
    void componentModeThreeAuthorizersOverAFailoverUrl() throws Exception {
        String db = TestPostgres.newDatabase();
        String failover = "(" + brokerUrl.replaceAll("\\?.*", "") + ",tcp://127.0.0.1:" + freePort() + ")?ha=true"
                + "&reconnectAttempts=-1";
        Run run = new Run("component", db, AUTHORIZERS, failover);
        List<RelayProcess> relays = run.startRelays(3);
        try {
            run.sendAll(relays, () -> { });
            run.awaitAllDeliveredOnce(0);
            System.out.printf("scale-out component: %d messages over %d authorizers by 3 relays in %d ms%n", MESSAGES,
                    AUTHORIZERS.size(), run.elapsedMs());
            run.assertOneFetchPerTokenLife(AUTHORIZERS);
            run.printStoreCalls(relays);
            // the refresh token each authorizer's WeChat rotated last is the one in the store
            for (String a : AUTHORIZERS) {
                assertEquals(Optional.ofNullable(sandbox.currentRefreshToken(a)),
                        run.stored("authorizer-" + a + ".refresh-token"), a);
            }
            run.assertNoSecretInLogs(relays);
        } finally {
            keepLogs("component", relays);
            relays.forEach(RelayProcess::close);
        }
    }

    /** The relays' logs, kept in target/scale-out/ for a look after the run (the temp folder goes). */
    static void keepLogs(String name, List<RelayProcess> relays) throws IOException {
        Path to = Path.of(System.getProperty("relay.jar", "kefu-relay/target/kefu-relay.jar")).resolveSibling("scale-out");
        Files.createDirectories(to);
        for (int i = 0; i < relays.size(); i++) {
            Files.writeString(to.resolve(name + "-relay-" + i + ".log"), relays.get(i).output());
        }
    }

    /** One mode's run: its store database, its message ids, its relays. */
    static final class Run {
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

        Run(String mode, String db, List<String> accounts, String brokerUrlOfRelays) {
            this(mode, mode, db, accounts, brokerUrlOfRelays, brokerUrl, MESSAGES);
        }

        Run(String name, String mode, String db, List<String> accounts, String brokerUrlOfRelays, String producerUrl,
                int messages) {
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
                Path folder = dir.resolve(name + "-relay-" + index);
                p.put("kefu.inbox.dir", folder.resolve("inbox").toString());
                p.put("kefu.store.dir", folder.resolve("store").toString());
                relays.add(started(RelayProcess.start(jar, folder, p)));
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
                Path inbox = dir.resolve(name + "-relay-" + r).resolve("inbox");
                Files.createDirectories(inbox);
                Files.writeString(inbox.resolve("twice.jsonl.part"), twice);
            }
            for (int r = 0; r < 2; r++) {
                Path inbox = dir.resolve(name + "-relay-" + r).resolve("inbox");
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
            double calls = sum(relays, "kefu_store_latency_seconds_count");
            double delivered = sum(relays, "kefu_messages_delivered_total");
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
    }

    @FunctionalInterface
    interface MidRun {
        void run() throws Exception;
    }

    /** A counter summed over every label set and over the relays. */
    static double sum(List<RelayProcess> relays, String metric) {
        java.util.regex.Pattern line = java.util.regex.Pattern.compile("^" + java.util.regex.Pattern.quote(metric)
                + "(\\{.*\\})? (\\S+)$", java.util.regex.Pattern.MULTILINE);
        double total = 0;
        for (RelayProcess r : relays) {
            java.util.regex.Matcher m = line.matcher(Http.get(r.awaitStarted() + "/observe/metrics").body());
            while (m.find()) {
                total += Double.parseDouble(m.group(2));
            }
        }
        return total;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
