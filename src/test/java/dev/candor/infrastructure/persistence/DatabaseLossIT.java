package dev.candor.infrastructure.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.candor.testsupport.Deployments;
import dev.candor.testsupport.Eventually;
import dev.candor.testsupport.Http;
import dev.candor.testsupport.Runs;
import dev.candor.testsupport.WsClient;
import dev.candor.testsupport.llm.LlmProviderStub;
import dev.candor.testsupport.llm.Script;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The fault matrix for PostgreSQL, stopped and started with pg_ctl (src/test/scripts/it-postgres.sh pause|resume):
 * down when the application starts, lost while an answer streams (its store is retried until the database is back),
 * and flapping. Runs only in the PostgreSQL execution of the build.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DatabaseLossIT {

    private static final String NAME = "database-loss";
    private static final Duration LONG = Duration.ofSeconds(40);
    private static final LlmProviderStub LLM = LlmProviderStub.shared();
    private static final List<String> PIECES = IntStream.range(0, 24).mapToObj(i -> "part" + i + " ").toList();
    private static final String ANSWER = String.join("", PIECES);

    @ArquillianResource
    Deployer deployer;

    @Deployment(name = NAME, managed = false, testable = false)
    static WebArchive deployment() {
        Map<String, String> config = new HashMap<>(Deployments.withStub(LLM));
        config.put("candor.health.refresh-interval-ms", "500");
        config.put("candor.health.probe-timeout-ms", "1000");
        config.put("candor.init.retry-interval-ms", "250");
        config.put("candor.init.timeouts-ms", "60000");
        return Deployments.candor(config);
    }

    @BeforeAll
    static void onlyOnPostgresql() {
        assumeTrue("postgresql".equals(System.getProperty("arquillian.launch")), "needs the build's PostgreSQL");
    }

    @Test
    @Order(1)
    void downWhenTheApplicationStartsClientsWaitThenGetReady() throws Exception {
        database("pause");
        try {
            deployer.deploy(NAME);
            try (WsClient client = WsClient.connect()) {
                JsonNode first = client.next(Duration.ofSeconds(10));
                assertTrue(WsClient.isSystem(first, "initializing"), first.toString());
                assertTrue(first.path("payload").path("progress").asInt() < 100, first.toString());
                assertTrue(Eventually.within(LONG, () -> Http.health("started").body().contains("\"DATABASE\":\"FAILED")),
                        Http.health("started").body());
                assertTrue(Http.health("ready").body().startsWith("{\"status\":\"DOWN\""));
                assertTrue(client.seen().stream().noneMatch(f -> WsClient.isSystem(f, "ready")));

                long back = System.nanoTime();
                database("resume");
                client.until(f -> WsClient.isSystem(f, "ready"), LONG);
                System.out.printf("FIGURE database back (pg_ctl start returned) -> waiting client ready: %d ms%n",
                        (System.nanoTime() - back) / 1_000_000);
            }
        } finally {
            database("resume");
        }
        String ready = Http.awaitHealth("ready", b -> b.startsWith("{\"status\":\"UP\""), LONG);
        assertTrue(ready.startsWith("{\"status\":\"UP\""), ready);
    }

    @Test
    @Order(2)
    void lostWhileAnAnswerStreamsTheAnswerIsStoredOnceItIsBack() throws Exception {
        try (WsClient client = WsClient.ready()) {
            LLM.enqueue(Script.reply(PIECES.toArray(String[]::new)).everyMs(120));
            client.send(WsClient.userMessage("a question before the outage", null, "pg-mid-1"));
            List<JsonNode> frames = new ArrayList<>(client.until(f -> "agent_delta".equals(f.path("type").asText()),
                    LONG));
            String threadId = Runs.first(frames, "thread_created").path("payload").path("thread_id").asText();
            database("pause");
            try {
                Eventually.pause(4000); // the answer ends (about 3 s) while the database is down
            } finally {
                database("resume");
            }
            frames.addAll(client.runEvents(LONG));
            List<JsonNode> run = frames.stream().filter(f -> f.has("run_id")).toList();
            JsonNode end = Runs.last(run);
            assertEquals("agent_completed", end.path("type").asText(), end.toString());
            assertEquals(ANSWER, end.path("payload").path("content").asText());
            assertEquals(ANSWER, Runs.deltas(run));
            assertTrue(client.seen().stream().anyMatch(f -> WsClient.isSystem(f, "reinitializing")
                    && "DATABASE".equals(f.path("payload").path("phase").asText())), "not told of the outage");
            client.awaitSeen(f -> WsClient.isSystem(f, "ready"), 2, LONG); // ready again (maybe before the answer)

            JsonNode messages = Runs.thread(threadId).path("messages");
            assertEquals(2, messages.size(), messages.toString());
            assertEquals(ANSWER, messages.get(1).path("content").asText());
            assertEquals("complete", messages.get(1).path("status").asText());
        }
    }

    @Test
    @Order(3)
    void flappingThreeTimesEveryClientEndsReadyAndNothingStoredIsLost() throws Exception {
        try (WsClient client = WsClient.ready()) {
            List<JsonNode> run = ask(client, "before the flaps", null);
            String threadId = run.get(0).path("thread_id").asText();
            for (int i = 0; i < 3; i++) {
                database("pause");
                try {
                    client.until(f -> WsClient.isSystem(f, "reinitializing"), LONG);
                    client.send(WsClient.userMessage("while down " + i, threadId, "pg-flap-" + i));
                    JsonNode refused = client.until(f -> "error".equals(f.path("type").asText()), LONG).get(0);
                    assertTrue(WsClient.isError(refused, "NOT_READY"), refused.toString());
                } finally {
                    database("resume");
                }
                client.until(f -> WsClient.isSystem(f, "ready"), LONG);
            }
            List<JsonNode> after = ask(client, "after the flaps", threadId);
            assertEquals("agent_completed", Runs.last(after).path("type").asText(), after.toString());
            JsonNode messages = Runs.thread(threadId).path("messages");
            assertEquals(4, messages.size(), "two turns, nothing refused was kept: " + messages);
        } finally {
            deployer.undeploy(NAME);
        }
    }

    private static List<JsonNode> ask(WsClient client, String content, String threadId) {
        client.send(WsClient.userMessage(content, threadId, null));
        return client.runEvents(LONG);
    }

    /** Stops ({@code pause}) or starts ({@code resume}) the build's PostgreSQL, keeping its data and port. */
    private static void database(String action) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("bash", "src/test/scripts/it-postgres.sh", action).inheritIO().start();
        assertEquals(0, process.waitFor(), "it-postgres.sh " + action);
    }
}
