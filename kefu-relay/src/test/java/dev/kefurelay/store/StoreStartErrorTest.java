package dev.kefurelay.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import dev.kefurelay.KefuRelay;
import dev.kefurelay.config.ConfigException;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.testkit.TestRelays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shared store the relay cannot connect to stops its start with one line naming the cause and the setting to
 * change, never the password: against a real PostgreSQL (a role that must give its password, a database that does
 * not exist), a closed port and a port that accepts and never answers.
 */
class StoreStartErrorTest {

    private static final String ROLE = "kefu_pw";
    private static final String PASSWORD = "the-right-pass-9";
    private static final String WRONG = "a-wrong-pass-7";

    @TempDir
    static Path dir;
    static WeChatSandbox sandbox;
    static Path hba;
    static String hbaBefore;

    /** A role that must give its password (scram): the embedded server trusts every other one. */
    @BeforeAll
    static void passwordRole() throws Exception {
        sandbox = WeChatSandbox.start(0).account(TestRelays.APPID, TestRelays.SECRET);
        try (Connection c = TestPostgres.dataSource("postgres").getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + ROLE + " LOGIN PASSWORD '" + PASSWORD + "'");
            try (ResultSet r = s.executeQuery("SHOW hba_file")) {
                r.next();
                hba = Path.of(r.getString(1));
            }
            hbaBefore = Files.readString(hba, StandardCharsets.UTF_8);
            // the first matching line wins
            Files.writeString(hba, "host all " + ROLE + " 127.0.0.1/32 scram-sha-256\n" + hbaBefore,
                    StandardCharsets.UTF_8);
            s.execute("SELECT pg_reload_conf()");
        }
    }

    @AfterAll
    static void restore() throws Exception {
        sandbox.close();
        Files.writeString(hba, hbaBefore, StandardCharsets.UTF_8);
        try (Connection c = TestPostgres.dataSource("postgres").getConnection(); Statement s = c.createStatement()) {
            s.execute("SELECT pg_reload_conf()");
        }
    }

    private static ConfigException startError(String url, String user, String password) {
        Map<String, String> p = new HashMap<>(TestRelays.properties(dir, sandbox, Map.of()));
        p.put("kefu.store.url", url);
        p.put("kefu.store.user", user);
        p.put("kefu.store.password", password);
        p.put("kefu.store.lock-timeout", "2s");
        ConfigException e = assertThrows(ConfigException.class, () -> KefuRelay.start(p).close());
        assertFalse(e.getMessage().contains(password), "the password is never shown: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        System.out.println("start error: " + e.getMessage());
        return e;
    }

    @Test
    void aWrongPasswordNamesTheUserAndPasswordSettings() {
        String db = TestPostgres.newDatabase();
        String message = startError(TestPostgres.url(db), ROLE, WRONG).getMessage();
        assertTrue(message.contains("wrong user or password") && message.contains("kefu.store.user")
                && message.contains("kefu.store.password") && message.contains(ROLE), message);
    }

    @Test
    void aDatabaseThatDoesNotExistIsNamed() {
        String message = startError(TestPostgres.url("kefu_no_such_db"), "postgres", WRONG).getMessage();
        assertTrue(message.contains("no such database") && message.contains("kefu_no_such_db")
                && message.contains("kefu.store.url"), message);
    }

    @Test
    void nothingListeningIsARefusedConnection() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String message = startError("jdbc:postgresql://127.0.0.1:" + port + "/kefu", "postgres", WRONG).getMessage();
        assertTrue(message.contains("connection refused") && message.contains("kefu.store.url"), message);
    }

    @Test
    void aServerThatNeverAnswersIsATimeout() throws Exception {
        // the kernel accepts the connection into the backlog; nobody ever reads or writes on it
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            long start = System.nanoTime();
            String message = startError("jdbc:postgresql://127.0.0.1:" + silent.getLocalPort() + "/kefu", "postgres",
                    WRONG).getMessage();
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(message.contains("no answer in time") && message.contains("kefu.store.url"), message);
            assertTrue(ms < 20_000, "gave up after " + ms + " ms");
        }
    }
}
