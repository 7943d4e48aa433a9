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
 * its own, created beside the build's {@code candor} database and dropped afterwards. Runs in the build's PostgreSQL
 * execution only (CANDOR_DB_URL and its user there); without them it fails rather than skip.
 */
class MigrationPostgresIT extends MigrationScenarios {

    private static final List<String> CREATED = new ArrayList<>();

    @Override
    DataSource freshDatabase(String name) throws SQLException {
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
        pg.setUser(env("CANDOR_DB_USER"));
        pg.setPassword(env("CANDOR_DB_PASSWORD"));
        return pg;
    }

    @AfterAll
    static void dropScratchDatabases() throws SQLException {
        try (Connection admin = admin(); Statement statement = admin.createStatement()) {
            for (String database : CREATED) {
                statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
    }

    private static Connection admin() throws SQLException {
        return DriverManager.getConnection(env("CANDOR_DB_URL"), env("CANDOR_DB_USER"), env("CANDOR_DB_PASSWORD"));
    }

    /** The build's URL (jdbc:postgresql://host:port/candor) with another database name. */
    private static String urlOf(String database) {
        String url = env("CANDOR_DB_URL");
        int query = url.indexOf('?');
        String base = query < 0 ? url : url.substring(0, query);
        return base.substring(0, base.lastIndexOf('/') + 1) + database + (query < 0 ? "" : url.substring(query));
    }

    private static String env(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set: MigrationPostgresIT runs in the build's PostgreSQL "
                    + "execution (it-postgresql), which sets it");
        }
        return value;
    }
}
