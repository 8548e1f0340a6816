package dev.kefurelay.store;

import static dev.kefurelay.store.ScaleOutCluster.ACCOUNTS;
import static dev.kefurelay.store.ScaleOutCluster.AUTHORIZERS;
import static dev.kefurelay.store.ScaleOutRun.LOCK_TIMEOUT;
import static dev.kefurelay.store.ScaleOutRun.MESSAGES;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.testkit.JmsTestClient;
import dev.kefurelay.testkit.RelayProcess;
import dev.kefurelay.testkit.TestRelays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several relays as one service, as an operator runs them: three packaged relays in their own JVMs, competing
 * consumers on one broker (the relay jar in kefu.mode=broker), sharing one PostgreSQL store, against one sandbox
 * WeChat whose tokens live only a few seconds, so that many token lives pass during a run. Each token mode sends
 * 3,000 messages; 5% of the ids are sent twice at the same moment through two relays' inboxes. The shared parts are
 * a {@link ScaleOutCluster}; each test's messages, relays and checks a {@link ScaleOutRun}.
 */
class ScaleOutIT {

    /**
     * WeChat's answer time while a relay or the broker is killed mid-run: it bounds how fast the relays can go (each
     * JMS consumer sends one message at a time), so that the run cannot get from the kill's trigger to its end while
     * the test looks, nor be done by the first relay while the others still start, however loaded the machine is.
     */
    static final Duration MID_RUN_LATENCY = Duration.ofMillis(50);

    @TempDir
    static Path dir;
    static ScaleOutCluster cluster;
    static WeChatSandbox sandbox;

    @BeforeAll
    static void start() throws Exception {
        cluster = new ScaleOutCluster(dir);
        cluster.start();
        sandbox = cluster.sandbox;
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Stable mode; one relay is killed (kill -9) a third of the way; then all restart and resends are duplicates. */
    @Test
    void stableTokensThreeRelaysOneKilledMidRunThenAllRestarted() throws Exception {
        String db = TestPostgres.newDatabase();
        ScaleOutRun run = new ScaleOutRun(cluster, "stable", db, ACCOUNTS, cluster.brokerUrl);
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
            try (JmsTestClient jms = new JmsTestClient(cluster.brokerUrl, "kefu.outbound")) {
                for (int i = 0; i < 30; i++) {
                    jms.sendText(run.message(i));
                }
            }
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> ScaleOutCluster.sum(again, "kefu_messages_duplicate_total") == 30);
            assertEquals(before, sandbox.deliveredCount(), "no resend went out");
            run.assertNoSecretInLogs(relays);
        } finally {
            sandbox.latency(Duration.ZERO);
            ScaleOutCluster.keepLogs("stable", relays);
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
        ScaleOutRun run = new ScaleOutRun(cluster, "client-credential", db, ACCOUNTS, cluster.brokerUrl);
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
            try (JmsTestClient jms = new JmsTestClient(cluster.brokerUrl, "kefu.outbound")) {
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
            ScaleOutCluster.keepLogs("client-credential", relays);
            relays.forEach(RelayProcess::close);
        }
    }

    /**
     * The broker itself dies (kill -9) mid-run and comes back on its port with its journal: the relays' rolled back
     * transactions are redelivered, nothing is lost, and what two relays took at once still goes out once.
     */
    @Test
    void aBrokerKilledMidRunLosesNothing() throws Exception {
        int port = TestRelays.freePort();
        Path data = dir.resolve("own-broker/data");
        Map<String, String> brokerProps = Map.of("kefu.mode", "broker", "kefu.broker.port", String.valueOf(port),
                "kefu.broker.data-dir", data.toString());
        RelayProcess own = cluster.startRelay(dir.resolve("own-broker"), brokerProps);
        String url = own.awaitOutput("kefu broker started .*kefu.broker.url=(\\S+)", Duration.ofSeconds(60));
        ScaleOutRun run = new ScaleOutRun(cluster, "broker-loss", "stable", TestPostgres.newDatabase(), ACCOUNTS,
                url + "?reconnectAttempts=-1", url, 1000);
        // every message waits on the queue (and in the inboxes) before the relays start: the kill falls mid-run. At
        // most 2 x 8 consumers / 100 ms = 160 messages a second: the 600 between the trigger and 900 take 3.75 s at
        // least, and one relay alone needs 11 s for 900 while the other starts
        run.sendAll(List.of(), () -> { });
        sandbox.latency(MID_RUN_LATENCY.multipliedBy(2));
        List<RelayProcess> relays = run.startRelays(2);
        try {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20))
                    .until(() -> run.delivered() >= 300);
            own.kill();
            int atKill = run.delivered();
            assertTrue(atKill < 900, atKill + " delivered when the broker died");
            System.out.printf("scale-out: broker killed -9 with %d of 1000 delivered%n", atKill);
            RelayProcess again = cluster.startRelay(dir.resolve("own-broker"), brokerProps);
            again.awaitOutput("kefu broker started", Duration.ofSeconds(60));
            try {
                int twice = run.awaitAllDeliveredOnce(16);
                System.out.printf("scale-out: broker restarted: all 1000 delivered, %d twice (in flight when it "
                        + "died)%n", twice);
            } finally {
                ScaleOutCluster.keepLogs("broker-loss", relays);
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
        String failover = "(" + cluster.brokerUrl.replaceAll("\\?.*", "") + ",tcp://127.0.0.1:"
                + TestRelays.freePort() + ")?ha=true&reconnectAttempts=-1";
        ScaleOutRun run = new ScaleOutRun(cluster, "component", db, AUTHORIZERS, failover);
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
            ScaleOutCluster.keepLogs("component", relays);
            relays.forEach(RelayProcess::close);
        }
    }
}
