package dev.kefurelay.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;

import javax.sql.DataSource;

/**
 * What PostgreSQL did during {@link ScaleOutBenchmark}, read from outside the relays: the CPU of its processes from
 * {@code /proc}, the transactions of a database from {@code pg_stat_database}.
 */
final class PostgresCounters {

    /** Linux's USER_HZ, the unit of the times in {@code /proc/<pid>/stat}: 100 on mainstream builds (CLK_TCK). */
    private static final long CLOCK_TICKS = 100;

    /** The server's main process: the parent of the backend this connection talks to. */
    static long postmasterPid(DataSource admin) throws Exception {
        try (Connection c = admin.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT pg_backend_pid()")) {
            r.next();
            return stat(r.getLong(1))[1];
        }
    }

    /**
     * Fields 3 to 17 of {@code /proc/<pid>/stat} (index 0 is field 3, the state, kept as 0; index 1 the parent's pid;
     * 11 to 14 the times); null once the process is gone.
     */
    static long[] stat(long pid) {
        String line;
        try {
            line = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"), StandardCharsets.US_ASCII);
        } catch (IOException gone) {
            return null;
        }
        // the command name, field 2, is in parentheses and may hold spaces
        String[] f = line.substring(line.lastIndexOf(')') + 2).strip().split(" ");
        long[] v = new long[15];
        for (int i = 1; i < v.length; i++) {
            v[i] = Long.parseLong(f[i]);
        }
        return v;
    }

    /**
     * CPU time of PostgreSQL, in ns: the postmaster's own and its children's (utime, stime, cutime, cstime), so that a
     * backend that ended (its time then in the postmaster's cutime/cstime) is counted exactly once.
     */
    static long treeCpuNanos(long postmaster) throws IOException {
        long ticks = ticks(stat(postmaster));
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.toList()) {
                String name = p.getFileName().toString();
                if (name.chars().allMatch(Character::isDigit)) {
                    long[] s = stat(Long.parseLong(name));
                    if (s != null && s[1] == postmaster) {
                        ticks += ticks(s);
                    }
                }
            }
        }
        return ticks * 1_000_000_000L / CLOCK_TICKS;
    }

    /** utime + stime + cutime + cstime (fields 14 to 17; index 0 is field 3). */
    private static long ticks(long[] stat) {
        return stat == null ? 0 : stat[11] + stat[12] + stat[13] + stat[14];
    }

    /**
     * Commits and rollbacks of the database, read until two readings half a second apart agree: the backends of the
     * stopped relays send their last counts to the statistics collector as they exit, which takes it a moment.
     */
    static long transactions(DataSource admin, String db) throws Exception {
        long last = -1;
        for (int i = 0; i < 20; i++) {
            long now = transactionsNow(admin, db);
            if (now == last) {
                break;
            }
            last = now;
            Thread.sleep(500);
        }
        return last;
    }

    private static long transactionsNow(DataSource admin, String db) throws SQLException {
        try (Connection c = admin.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT xact_commit + xact_rollback FROM pg_stat_database "
                        + "WHERE datname = '" + db + "'")) {
            r.next();
            return r.getLong(1);
        }
    }

    static void sql(DataSource admin, String statement) throws SQLException {
        try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private PostgresCounters() {
    }
}
