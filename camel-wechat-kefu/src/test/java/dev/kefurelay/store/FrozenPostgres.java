package dev.kefurelay.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A PostgreSQL server frozen with SIGSTOP, as a hung host or a paused VM leaves it: connections stay open, nothing
 * answers, new ones are accepted by the kernel and never served. Every process of the server is stopped, the
 * postmaster (the first line of postmaster.pid in its data folder) and its children (the backends serving the open
 * connections, which would otherwise go on answering); {@link #close} sends SIGCONT to them all. Use it in a
 * try-with-resources, so that the server is thawed whatever the test does.
 */
public final class FrozenPostgres implements AutoCloseable {

    private final List<Long> pids;

    private FrozenPostgres(List<Long> pids) {
        this.pids = pids;
    }

    public static FrozenPostgres freeze(EmbeddedPostgres server) throws Exception {
        long postmaster = postmaster(dataDirectory(server));
        ProcessHandle handle = ProcessHandle.of(postmaster)
                .orElseThrow(() -> new IllegalStateException("no postmaster " + postmaster));
        // the postmaster first, so that it forks no backend that the list below would miss
        signal("-STOP", List.of(postmaster), true);
        List<Long> pids = new ArrayList<>();
        pids.add(postmaster);
        FrozenPostgres frozen = new FrozenPostgres(pids);
        try {
            handle.descendants().forEach(p -> pids.add(p.pid()));
            // a backend whose client just left may end before the signal: nothing to freeze there
            signal("-STOP", pids.subList(1, pids.size()), false);
            return frozen;
        } catch (Exception | Error e) {
            frozen.close();
            throw e;
        }
    }

    /** The server's data folder, as it says itself. */
    public static Path dataDirectory(EmbeddedPostgres server) throws SQLException {
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SHOW data_directory")) {
            r.next();
            return Path.of(r.getString(1));
        }
    }

    private static long postmaster(Path dataDirectory) throws IOException {
        return Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid"), StandardCharsets.US_ASCII)
                .get(0).strip());
    }

    private static void signal(String signal, List<Long> pids, boolean strict) throws IOException, InterruptedException {
        if (pids.isEmpty()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("kill", signal));
        pids.forEach(p -> command.add(String.valueOf(p)));
        Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
        // a process that ended meanwhile fails kill's exit code; the others got the signal all the same
        if (!kill.waitFor(10, TimeUnit.SECONDS) || strict && kill.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: "
                    + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** Thaws every process that was frozen. */
    @Override
    public void close() throws Exception {
        signal("-CONT", pids, false);
    }
}
