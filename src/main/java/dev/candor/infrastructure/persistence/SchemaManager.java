package dev.candor.infrastructure.persistence;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings the schema to the newest version with Flyway (the scripts in db/migration, see {@link MigrationScripts}).
 * Flyway's own lock (on PostgreSQL an advisory lock) lets one of several nodes starting at once migrate while the
 * others wait, then finds nothing left to do for them. A database created before migrations existed (Candor's tables, no
 * schema history) is baselined at version 1, which it equals, and upgraded from there; its rows are kept.
 */
@ApplicationScoped
public class SchemaManager {

    private static final Logger LOG = Logger.getLogger(SchemaManager.class.getName());

    /** A table every version of the schema has: its presence without a schema history means "created before V1". */
    static final String MARKER_TABLE = "chat_thread";

    private static final Object EMBEDDED_MIGRATION = new Object();

    /** Flyway's schema history table (its default name). */
    static final String HISTORY_TABLE = "flyway_schema_history";

    @Resource(lookup = "java:jboss/datasources/CandorDS")
    DataSource dataSource;

    /**
     * Applies the pending migrations; nothing when there are none. Outside any JTA transaction: Flyway commits each
     * migration itself. Throws with a message an operator can act on; the cause chain keeps the database's own error.
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public MigrateResult migrate() throws SQLException {
        Database database = inspect();
        boolean createdBeforeMigrations = database.hasMarkerTable();
        Flyway flyway = Flyway.configure(SchemaManager.class.getClassLoader())
                .dataSource(dataSource)
                .resourceProvider(new MigrationScripts(SchemaManager.class.getClassLoader()))
                .javaMigrationClassProvider(List::of)
                // On PostgreSQL (transactional DDL) all pending migrations run in one transaction under one lock: a
                // node applies all of them or none, and a node that waited on the lock finds nothing left. H2 cannot
                // roll DDL back (Flyway warns against grouping there); an embedded H2 has one node anyway.
                .group(database.transactionalDdl())
                // Without a schema history, a schema holding other tables is baselined: at 1 when it holds Candor's
                // (created before migrations), else at 0 so every migration runs. An empty schema is never baselined,
                // nor one whose history exists: that one may be another node's, created an instant ago and still
                // empty while that node migrates under the lock (baselining it would fail).
                .baselineOnMigrate(!database.hasHistory() && database.hasTables())
                .baselineVersion(createdBeforeMigrations ? "1" : "0")
                .baselineDescription(createdBeforeMigrations ? "schema created before migrations" : "other tables")
                .load();
        try {
            MigrateResult result;
            if (database.transactionalDdl()) {
                result = flyway.migrate();
            } else {
                // H2 is embedded in one server: Flyway's lock there does not keep two migrators of one JVM apart
                // (both can insert the same history row), so this JVM's lock does.
                synchronized (EMBEDDED_MIGRATION) {
                    result = flyway.migrate();
                }
            }
            if (result.migrationsExecuted > 0) {
                LOG.info(() -> "database schema migrated from version " + (result.initialSchemaVersion == null ? "none"
                        : result.initialSchemaVersion) + " to " + result.targetSchemaVersion + " ("
                        + result.migrationsExecuted + " migrations)");
            }
            return result;
        } catch (FlywayException e) {
            throw new SQLException("The database schema could not be migrated to the version this Candor needs: "
                    + oneLine(e.getMessage()) + ". The DATABASE phase tries again; if this persists, an operator "
                    + "should compare the database's flyway_schema_history with the migrations shipped in the WAR.", e);
        }
    }

    /** A bounded round trip on a pooled connection. */
    public void ping(int timeoutSeconds) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            if (!connection.isValid(timeoutSeconds)) {
                throw new SQLException("the database did not answer within " + timeoutSeconds + " s");
            }
        }
    }

    /** What the migration depends on: whether DDL is transactional, and whether Candor's tables exist already. */
    private record Database(boolean transactionalDdl, boolean hasMarkerTable, boolean hasHistory, boolean hasTables) {
    }

    private Database inspect() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            String schema = connection.getSchema();
            DatabaseMetaData metaData = connection.getMetaData();
            boolean postgres = "PostgreSQL".equals(metaData.getDatabaseProductName());
            boolean marker = false;
            boolean history = false;
            boolean any = false;
            try (ResultSet tables = metaData.getTables(connection.getCatalog(), null, "%", new String[] {"TABLE"})) {
                while (tables.next()) {
                    if (schema != null && !schema.equalsIgnoreCase(tables.getString("TABLE_SCHEM"))) {
                        continue;
                    }
                    String name = tables.getString("TABLE_NAME");
                    any = true;
                    marker |= MARKER_TABLE.equalsIgnoreCase(name);
                    history |= HISTORY_TABLE.equalsIgnoreCase(name);
                }
            }
            return new Database(postgres, marker, history, any);
        }
    }

    /** Flyway's messages span several lines (a ruler, SQL state, statement): one line for the phase's error. */
    private static String oneLine(String message) {
        if (message == null) {
            return "no detail";
        }
        return message.lines().map(String::strip).filter(line -> !line.isEmpty() && !line.matches("-+"))
                .collect(Collectors.joining("; "));
    }
}
