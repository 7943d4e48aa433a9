package dev.candor.infrastructure.persistence;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The migration scenarios on the build's real PostgreSQL (plain JDBC, no server): each test gets a scratch database of
 * its own, created beside the build's {@code candor} database and dropped afterwards. The build runs it in its
 * PostgreSQL execution, which sets CANDOR_DB_URL and its user; run where they are not set (the H2 execution, when
 * named with -Dit.test), it runs the scenarios on H2 instead, as MigrationTest does, rather than skip them.
 */
class MigrationPostgresIT extends MigrationScenarios {

    private static final String URL = System.getenv("CANDOR_DB_URL");
    private static final List<String> CREATED = new ArrayList<>();

    @Override
    boolean migratesAllUnderOneLock() {
        return URL != null;
    }

    @Override
    DataSource freshDatabase(String name) throws SQLException {
        if (URL == null) {
            return new MigrationTest().freshDatabase(name);
        }
        String database = ("candor_migration_" + name + "_" + UUID.randomUUID().toString().substring(0, 8))
                .toLowerCase(Locale.ROOT);
        try (Connection admin = admin(); Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        synchronized (CREATED) {
            CREATED.add(database);
        }
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setURL(urlOf(database));
        pg.setUser(System.getenv("CANDOR_DB_USER"));
        pg.setPassword(System.getenv("CANDOR_DB_PASSWORD"));
        return pg;
    }

    @AfterAll
    static void dropScratchDatabases() throws SQLException {
        if (CREATED.isEmpty()) {
            return;
        }
        try (Connection admin = admin(); Statement statement = admin.createStatement()) {
            for (String database : CREATED) {
                statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
    }

    private static Connection admin() throws SQLException {
        return DriverManager.getConnection(URL, System.getenv("CANDOR_DB_USER"), System.getenv("CANDOR_DB_PASSWORD"));
    }

    /** The build's URL (jdbc:postgresql://host:port/candor) with another database name. */
    private static String urlOf(String database) {
        int query = URL.indexOf('?');
        String base = query < 0 ? URL : URL.substring(0, query);
        return base.substring(0, base.lastIndexOf('/') + 1) + database + (query < 0 ? "" : URL.substring(query));
    }
}
