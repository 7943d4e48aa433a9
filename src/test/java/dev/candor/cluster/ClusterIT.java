package dev.candor.cluster;

import static dev.candor.cluster.ClusterExtension.bootReadiness;
import static dev.candor.cluster.ClusterExtension.bothReadyAtBoot;
import static dev.candor.cluster.ClusterExtension.cluster;
import static dev.candor.cluster.ClusterExtension.messages;
import static dev.candor.cluster.ClusterExtension.ready;
import static dev.candor.cluster.ClusterExtension.stub;
import static dev.candor.testsupport.TwoNodeCluster.Node.A;
import static dev.candor.testsupport.TwoNodeCluster.Node.B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.candor.testsupport.Runs;
import dev.candor.testsupport.WsClient;
import dev.candor.testsupport.llm.Script;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two nodes of the same WAR behind HAProxy, on one PostgreSQL and one Redis ({@link ClusterExtension}): they start
 * together on an empty database, a client of the balancer is served, and the races of one user's frames sent to both
 * nodes at once end as they would on one node.
 */
@ExtendWith(ClusterExtension.class)
@Order(1)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static final Duration RUN = Duration.ofSeconds(30);

    @Test
    @Order(1)
    void bothNodesStartedAtOnceOnAnEmptyDatabaseAreReadyWithTheSchemaMigratedOnce() throws SQLException {
        assertTrue(bothReadyAtBoot(), "not both ready after starting at once, without any client: " + bootReadiness());
        try (Connection db = cluster().database()) {
            for (String table : List.of("chat_thread", "chat_message", "agent_run")) {
                assertTrue(tableExists(db, table), "no table " + table);
            }
            assertTrue(tableExists(db, "flyway_schema_history"), "no Flyway history: the schema was not migrated");
            List<String> versions = new ArrayList<>();
            try (ResultSet rows = db.createStatement().executeQuery(
                    "SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL ORDER BY installed_rank")) {
                while (rows.next()) {
                    assertTrue(rows.getBoolean("success"), "migration " + rows.getString("version") + " failed");
                    versions.add(rows.getString("version"));
                }
            }
            assertFalse(versions.isEmpty(), "no migration recorded");
            assertEquals(versions.size(), new HashSet<>(versions).size(), "a migration ran twice: " + versions);
        }
    }

    @Test
    @Order(2)
    void aConnectionThroughTheBalancerGetsReadyAndAFullAnswer() {
        stub().enqueue(Script.reply("Balanced ", "and ", "whole."));
        try (WsClient client = ready(cluster().balancerChat())) {
            client.send(WsClient.userMessage("Through the balancer", null, null));
            List<JsonNode> events = client.runEvents(RUN);
            JsonNode completed = Runs.last(events);
            assertEquals("agent_completed", completed.path("type").asText(), events.toString());
            assertEquals("Balanced and whole.", Runs.deltas(events));
            JsonNode messages = messages(completed.path("thread_id").asText());
            assertEquals(2, messages.size(), messages.toString());
            assertEquals("Balanced and whole.", messages.get(1).path("content").asText());
        }
    }

    @Test
    @Order(3)
    void theSameThreadWrittenToBothNodesAtOnceStartsOneRunAndTheOtherGetsThreadBusy() throws SQLException {
        try (WsClient onA = ready(cluster().chat(A)); WsClient onB = ready(cluster().chat(B))) {
            onA.send(WsClient.userMessage("open the thread", null, null));
            String threadId = Runs.last(onA.runEvents(RUN)).path("thread_id").asText();
            stub().defaultScript(Script.empty().delayMs(500).text("one at a time"));
            RaceTally tally = new RaceTally();
            for (int trial = 0; trial < 100; trial++) {
                String text = "trial " + trial;
                tally.add(Race.run(onA, onB, WsClient.userMessage(text + " via A", threadId, null),
                        WsClient.userMessage(text + " via B", threadId, null), RUN));
            }
            System.out.println("ClusterIT same-thread races: " + tally);
            assertEquals(0, tally.overlapping(), "two runs of one thread at once: " + tally);
            assertEquals(0, tally.other(), "an outcome that is neither a run nor THREAD_BUSY: " + tally);
            assertTrue(tally.busy() >= 95, "too few real races (the second message came after the run): " + tally);
            assertEquals(1 + tally.runs(), count(
                    "SELECT count(*) FROM agent_run WHERE thread_id = ?", threadId), "runs stored for " + threadId);
        }
    }

    @Test
    @Order(4)
    void theSameClientMessageIdSentToBothNodesAtOnceIsStoredOnceAndTheOtherGetsDuplicateMessage() throws SQLException {
        stub().defaultScript(Script.empty().delayMs(100).text("only once"));
        try (WsClient onA = ready(cluster().chat(A)); WsClient onB = ready(cluster().chat(B))) {
            RaceTally tally = new RaceTally();
            for (int trial = 0; trial < 20; trial++) {
                String id = "cluster-dup-" + trial + "-" + System.nanoTime();
                String frame = WsClient.userMessage("say it once " + trial, null, id);
                Race race = Race.run(onA, onB, frame, frame, RUN);
                tally.add(race);
                assertEquals(1, count("SELECT count(*) FROM chat_message WHERE client_message_id = ?", id),
                        "trial " + trial + " stored " + id + " more than once: " + race);
            }
            System.out.println("ClusterIT same client_message_id races: " + tally);
            assertEquals(20, tally.runs(), "runs started: " + tally);
            assertEquals(20, tally.duplicates(), "duplicate_message answers: " + tally);
        }
    }

    private static boolean tableExists(Connection db, String table) throws SQLException {
        try (ResultSet tables = db.getMetaData().getTables(null, null, table, new String[] {"TABLE"})) {
            return tables.next();
        }
    }

    private static long count(String sql, String parameter) throws SQLException {
        try (Connection db = cluster().database(); var statement = db.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

}
