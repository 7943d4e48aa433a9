package dev.candor.infrastructure.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.application.DatabaseFailures;
import dev.candor.domain.run.AgentRun;
import dev.candor.domain.thread.ChatMessage;
import dev.candor.testsupport.Rows;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;

/**
 * The schema migrations on a real database, with plain JDBC: an empty database, a database created by the version
 * before migrations (src/test/resources/db/previous-schema.sql) holding data, and two nodes migrating at once. Each
 * database engine gets a subclass that hands out fresh, empty databases.
 */
abstract class MigrationScenarios {

    private static final int RACE_ROUNDS = 8;

    private static final OffsetDateTime T0 = OffsetDateTime.of(2026, 1, 1, 10, 0, 0, 0, ZoneOffset.UTC);
    private static final int NEWEST = MigrationScripts.NAMES.size();

    /** A new, empty database; {@code name} is unique per call. */
    abstract DataSource freshDatabase(String name) throws SQLException;

    /** Whether one node applies every pending migration under one lock (transactional DDL), or one lock each. */
    abstract boolean migratesAllUnderOneLock();

    @Test
    void anEmptyDatabaseGetsEveryMigrationAndTheConstraints() throws Exception {
        DataSource db = freshDatabase("empty");

        MigrateResult result = migrator(db).migrate();

        assertEquals(NEWEST, result.migrationsExecuted);
        assertEquals(List.of("1", "2"), appliedVersions(db));
        exec(db, "INSERT INTO chat_thread (id, owner_id, title, created_at, updated_at) VALUES ('t1', 'alice', 't', "
                + ts(0) + ", " + ts(0) + ")");
        insertMessage(db, "m1", "t1", "alice", 0, "c1", 1);
        assertRefused(db, ChatMessage.UNIQUE_CLIENT_MESSAGE_ID,
                () -> insertMessage(db, "m2", "t1", "alice", 1, "c1", 2));
        insertMessage(db, "m3", "t1", "alice", 1, null, 3);
        insertMessage(db, "m4", "t1", "alice", 2, null, 4); // many messages without a client id
        insertRun(db, "r1", "t1", "RUNNING", "t1", 5);
        assertRefused(db, AgentRun.ONE_RUNNING_PER_THREAD, () -> insertRun(db, "r2", "t1", "RUNNING", "t1", 6));
        insertRun(db, "r3", "t1", "COMPLETED", null, 7); // ended runs hold no slot
        insertRun(db, "r4", "t1", "FAILED", null, 8);
        assertEquals(0, migrator(db).migrate().migrationsExecuted, "a second migration finds nothing to do");
    }

    @Test
    void aDatabaseOfThePreviousVersionIsUpgradedInPlaceKeepingEveryRow() throws Exception {
        DataSource db = freshDatabase("previous");
        for (String statement : previousSchema()) {
            exec(db, statement);
        }
        exec(db, "INSERT INTO chat_thread (id, owner_id, title, created_at, updated_at) VALUES "
                + "('t1', 'alice', 'Alice''s', " + ts(0) + ", " + ts(0) + "), "
                + "('t2', 'bob', 'Bob''s', " + ts(0) + ", " + ts(0) + ")");
        insertOldMessage(db, "m1", "t1", 0, "same", 1);
        insertOldMessage(db, "m2", "t1", 1, null, 2);
        insertOldMessage(db, "m3", "t1", 2, "same", 3); // the same client id stored again by a second node
        insertOldMessage(db, "m4", "t1", 3, "same", 3);
        insertOldMessage(db, "m5", "t2", 0, "same", 4); // another owner may use the same client id
        exec(db, "INSERT INTO agent_run (id, thread_id, user_message_id, status, started_at, owner_node, lease_until) "
                + "VALUES ('r1', 't1', 'm1', 'RUNNING', " + ts(1) + ", 'node-a', " + ts(60) + "), "
                + "('r2', 't1', 'm3', 'RUNNING', " + ts(3) + ", 'node-b', " + ts(60) + "), "
                + "('r3', 't2', 'm5', 'COMPLETED', " + ts(4) + ", 'node-a', NULL)");

        MigrateResult result = migrator(db).migrate();

        assertEquals(NEWEST - 1, result.migrationsExecuted, "baselined at 1, then V2 only");
        assertEquals(List.of("1", "2"), appliedVersions(db));
        assertEquals(Map.of("m1", "same", "m2", "-", "m3", "-", "m4", "-", "m5", "same"),
                column(db, "SELECT id, client_message_id FROM chat_message"), "every message kept, earliest keeps id");
        assertEquals(Map.of("m1", "alice", "m2", "alice", "m3", "alice", "m4", "alice", "m5", "bob"),
                column(db, "SELECT id, owner_id FROM chat_message"));
        assertEquals(Map.of("r1", "-", "r2", "t1", "r3", "-"),
                column(db, "SELECT id, running_thread_id FROM agent_run"),
                "the newest RUNNING run of a thread holds its slot");
        assertEquals(Map.of("r1", "RUNNING", "r2", "RUNNING", "r3", "COMPLETED"),
                column(db, "SELECT id, status FROM agent_run"));
        assertEquals(Map.of("t1", "Alice's", "t2", "Bob's"), column(db, "SELECT id, title FROM chat_thread"));

        assertRefused(db, ChatMessage.UNIQUE_CLIENT_MESSAGE_ID,
                () -> insertMessage(db, "m6", "t1", "alice", 4, "same", 5));
        assertRefused(db, AgentRun.ONE_RUNNING_PER_THREAD, () -> insertRun(db, "r4", "t1", "RUNNING", "t1", 6));
        insertRun(db, "r5", "t2", "RUNNING", "t2", 7);
    }

    @Test
    void twoNodesMigratingAtOnceApplyEachMigrationOnceAndBothSucceed() throws Exception {
        // Several rounds: a node that looks at the schema just after the other created its (still empty) history
        // table must wait on the lock, not try to baseline it; one round alone hits that instant only sometimes.
        for (int round = 1; round <= RACE_ROUNDS; round++) {
            race(freshDatabase("race" + round), round);
        }
    }

    private void race(DataSource db, int round) throws Exception {
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService nodes = Executors.newFixedThreadPool(2);
        try {
            List<Future<MigrateResult>> results = new ArrayList<>();
            for (int node = 0; node < 2; node++) {
                results.add(nodes.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return migrator(db).migrate();
                }));
            }
            List<Integer> executed = new ArrayList<>();
            for (Future<MigrateResult> result : results) {
                executed.add(result.get(60, TimeUnit.SECONDS).migrationsExecuted);
            }
            executed.sort(null);
            assertEquals(NEWEST, executed.stream().mapToInt(Integer::intValue).sum(),
                    "round " + round + ": each migration ran once");
            if (migratesAllUnderOneLock()) {
                assertEquals(List.of(0, NEWEST), executed, "round " + round + ": one node migrated, the other found "
                        + "nothing left");
            }
        } finally {
            nodes.shutdownNow();
        }
        assertEquals(List.of("1", "2"), appliedVersions(db), "round " + round);
    }

    static SchemaManager migrator(DataSource db) {
        SchemaManager schema = new SchemaManager();
        schema.dataSource = db;
        return schema;
    }

    /** The statements of the version before migrations, split as that version split them. */
    static List<String> previousSchema() throws IOException {
        try (InputStream in = MigrationScenarios.class.getClassLoader().getResourceAsStream("db/previous-schema.sql")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return Arrays.stream(text.split("(?m)^;\\s*$")).map(s -> s.replaceAll("(?m)^--.*$", "").trim())
                    .filter(s -> !s.isEmpty()).toList();
        }
    }

    private static List<String> appliedVersions(DataSource db) throws SQLException {
        List<String> versions = new ArrayList<>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT \"version\" FROM \"flyway_schema_history\" WHERE \"success\" "
                     + "AND \"type\" IN ('SQL', 'BASELINE') ORDER BY \"installed_rank\"")) {
            while (rows.next()) {
                versions.add(rows.getString(1));
            }
        }
        return versions;
    }

    private static Map<String, String> column(DataSource db, String sql) throws SQLException {
        Map<String, String> values = new HashMap<>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery(sql)) {
            while (rows.next()) {
                values.put(rows.getString(1), rows.getString(2) == null ? "-" : rows.getString(2));
            }
        }
        return values;
    }

    private static String ts(int minutes) {
        return "TIMESTAMP WITH TIME ZONE '" + T0.plusMinutes(minutes).toString().replace('T', ' ') + "'";
    }

    private static void exec(DataSource db, String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static void insertOldMessage(DataSource db, String id, String thread, int position, String clientId,
                                         int minute) throws SQLException {
        write(db, "INSERT INTO chat_message (id, thread_id, position, role, content, status, client_message_id, "
                + "created_at) VALUES (?, ?, ?, 'USER', 'text', 'COMPLETE', ?, " + ts(minute) + ")",
                id, thread, position, clientId);
    }

    private static void insertMessage(DataSource db, String id, String thread, String owner, int position,
                                      String clientId, int minute) throws SQLException {
        write(db, "INSERT INTO chat_message (id, thread_id, owner_id, position, role, content, status, "
                + "client_message_id, created_at) VALUES (?, ?, ?, ?, 'USER', 'text', 'COMPLETE', ?, " + ts(minute)
                + ")", id, thread, owner, position, clientId);
    }

    private static void insertRun(DataSource db, String id, String thread, String status, String runningThread,
                                  int minute) throws SQLException {
        write(db, "INSERT INTO agent_run (id, thread_id, user_message_id, status, running_thread_id, started_at) "
                + "VALUES (?, ?, 'm1', ?, ?, " + ts(minute) + ")", id, thread, status, runningThread);
    }

    private static void write(DataSource db, String sql, Object... values) throws SQLException {
        try (Connection c = db.getConnection()) {
            Rows.write(c, sql, values);
        }
    }

    /** The insert is refused by {@code constraint}, and recognised as that constraint and no other. */
    private static void assertRefused(DataSource db, String constraint, JdbcAction insert) {
        SQLException refused = assertThrows(SQLException.class, insert::run);
        assertTrue(DatabaseFailures.violates(refused, constraint), refused.getSQLState() + " " + refused.getMessage());
        String other = constraint.equals(AgentRun.ONE_RUNNING_PER_THREAD) ? ChatMessage.UNIQUE_CLIENT_MESSAGE_ID
                : AgentRun.ONE_RUNNING_PER_THREAD;
        assertFalse(DatabaseFailures.violates(refused, other), refused.getMessage());
    }

    @FunctionalInterface
    interface JdbcAction {
        void run() throws SQLException;
    }
}
