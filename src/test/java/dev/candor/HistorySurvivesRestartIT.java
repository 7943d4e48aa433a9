package dev.candor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.candor.bench.BenchServer;
import dev.candor.testsupport.Http;
import dev.candor.testsupport.Runs;
import dev.candor.testsupport.WsClient;
import dev.candor.testsupport.llm.LlmProviderStub;
import dev.candor.testsupport.llm.Script;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The chat history lives in CANDOR_DATA_DIR, outside the server: a server that is killed, replaced by a fresh copy of
 * the provisioned one (as the README's run command does) and started again shows the same threads and messages, a
 * run of before the crash can still be resumed from the local Redis's append-only file, and the local redis-server the
 * killed server left running is stopped rather than leaked.
 */
class HistorySurvivesRestartIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final URI CHAT = URI.create("ws://127.0.0.1:9080/ws/chat");
    private static final URI THREADS = URI.create("http://127.0.0.1:9080/api/threads");

    private static final Path TARGET = Path.of(System.getProperty("jboss.home", "target/server")).toAbsolutePath()
            .getParent();
    private static final Path WAR = Path.of(System.getProperty("candor.war", "target/candor.war"));

    @Test
    void aRestartedServerShowsTheSameThreads() throws Exception {
        Path work = fresh("restart-it");
        Path data = work.resolve("data");
        try (LlmProviderStub stub = LlmProviderStub.start()) {
            stub.defaultScript(Script.reply("Stored ", "for later."));
            Map<String, String> env = env(stub, data, Map.of());
            String threadId;
            String runId;
            List<JsonNode> events;
            try (BenchServer first = start(work, env);
                 WsClient client = ready()) {
                client.send(WsClient.userMessage("Remember this after a restart", null, null));
                events = client.runEvents(Duration.ofSeconds(30));
                JsonNode completed = Runs.last(events);
                assertEquals("agent_completed", completed.path("type").asText(), completed.toString());
                threadId = completed.path("thread_id").asText();
                runId = completed.path("run_id").asText();
                awaitAppendOnlyFile(data.resolve("redis"));
                first.crash();
            }
            long orphan = Long.parseLong(Files.readString(data.resolve("redis/redis-server.pid")).strip());
            assertTrue(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false),
                    "the killed server's redis-server should still be running before the restart");
            try (var files = Files.list(data.resolve("db"))) {
                assertTrue(files.anyMatch(f -> f.getFileName().toString().endsWith(".mv.db")),
                        "no H2 database file in CANDOR_DATA_DIR");
            }

            try (BenchServer second = start(work, env);
                 WsClient client = ready()) {
                JsonNode threads = JSON.readTree(Http.get(THREADS).body());
                List<String> ids = threads.path("items").findValuesAsText("id");
                assertTrue(ids.contains(threadId), "the thread is gone after the restart: " + threads);
                JsonNode messages = JSON.readTree(Http.get(URI.create(THREADS + "/" + threadId + "/messages")).body())
                        .path("messages");
                assertEquals("Remember this after a restart", messages.get(0).path("content").asText());
                assertEquals("Stored for later.", messages.get(1).path("content").asText());
                assertFalse(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false),
                        "the redis-server left by the killed server was not stopped");

                client.send("{\"type\":\"resume\",\"payload\":{\"run_id\":\"" + runId + "\",\"after_seq\":0}}");
                List<JsonNode> replayed = client.runEvents(Duration.ofSeconds(10));
                assertEquals(Runs.types(events), Runs.types(replayed), "the resumed run's events differ");
                assertEquals("Stored for later.", Runs.deltas(replayed));
            }
        } finally {
            BenchServer.deleteTree(work);
        }
    }

    @Test
    void aRunCutByACrashEndsWithRunInterruptedAndKeepsItsPartialAnswer() throws Exception {
        Path work = fresh("interrupt-it");
        Path data = work.resolve("data");
        try (LlmProviderStub stub = LlmProviderStub.start()) {
            stub.enqueue(Script.empty().tokens(400).everyMs(50));
            stub.defaultScript(Script.reply("A new ", "answer."));
            Map<String, String> env = env(stub, data, Map.of("CANDOR_RUNS_LEASE_MS", "3000",
                    "CANDOR_RUNS_RECLAIM_INTERVAL_MS", "500"));
            String runId;
            String threadId;
            try (BenchServer first = start(work, env);
                 WsClient client = ready()) {
                client.send(WsClient.userMessage("Count for a long time", null, null));
                List<JsonNode> seen = client.until(f -> "agent_delta".equals(f.path("type").asText())
                        && f.path("seq").asInt() >= 12, Duration.ofSeconds(30));
                runId = Runs.last(seen).path("run_id").asText();
                threadId = Runs.last(seen).path("thread_id").asText();
                awaitAppendOnlyFile(data.resolve("redis"), "\"seq\":12");
                first.crash();
            }

            try (BenchServer second = start(work, env);
                 WsClient client = ready()) {
                client.send("{\"type\":\"resume\",\"payload\":{\"run_id\":\"" + runId + "\",\"after_seq\":0}}");
                List<JsonNode> replayed = client.runEvents(Duration.ofSeconds(30));
                JsonNode end = Runs.last(replayed);
                assertEquals("agent_error", end.path("type").asText(), replayed.toString());
                assertEquals("RUN_INTERRUPTED", end.path("payload").path("error_code").asText(), end.toString());
                for (int i = 0; i < replayed.size(); i++) {
                    assertEquals(i + 1, replayed.get(i).path("seq").asInt(), "seq of " + replayed.get(i));
                }
                String partial = Runs.deltas(replayed);
                assertTrue(partial.length() > 0, "no part of the answer was replayed");

                JsonNode messages = JSON.readTree(Http.get(URI.create(THREADS + "/" + threadId + "/messages")).body())
                        .path("messages");
                assertEquals(2, messages.size(), messages.toString());
                assertEquals(partial, messages.get(1).path("content").asText());
                assertEquals("unfinished", messages.get(1).path("status").asText());

                client.send(WsClient.userMessage("And now?", threadId, null));
                JsonNode next = Runs.last(client.runEvents(Duration.ofSeconds(30)));
                assertEquals("agent_completed", next.path("type").asText(), "the thread is still busy: " + next);
            }
        } finally {
            BenchServer.deleteTree(work);
        }
    }

    /** An empty work folder under target/ with a data directory in it. */
    private static Path fresh(String name) throws java.io.IOException {
        Path work = TARGET.resolve(name);
        BenchServer.deleteTree(work);
        Files.createDirectories(work.resolve("data"));
        return work;
    }

    /** The server's settings: the stand-in as its LLM, {@code data} as its data directory, and {@code more}. */
    private static Map<String, String> env(LlmProviderStub stub, Path data, Map<String, String> more) {
        Map<String, String> env = new HashMap<>(Map.of("CANDOR_LLM_PROVIDER", "openai",
                "CANDOR_LLM_BASE_URL", stub.openAiBaseUrl().toString(), "CANDOR_LLM_MODEL", "stub-model",
                "CANDOR_LLM_API_KEY", "k", "CANDOR_ENVIRONMENT", "test", "CANDOR_DATA_DIR", data.toString()));
        env.putAll(more);
        return env;
    }

    /** Redis appends to its file every second: wait until the run's events are on disk before the crash. */
    private static void awaitAppendOnlyFile(Path redisDir) throws Exception {
        awaitAppendOnlyFile(redisDir, "agent_completed");
    }

    private static void awaitAppendOnlyFile(Path redisDir, String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try (var files = Files.walk(redisDir)) {
                if (files.filter(f -> f.getFileName().toString().contains(".aof")).anyMatch(f -> contains(f, text))) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the run's events never reached the append-only file in " + redisDir);
    }

    private static boolean contains(Path file, String text) {
        try {
            return Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1).contains(text);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static BenchServer start(Path work, Map<String, String> env) throws Exception {
        BenchServer server = BenchServer.start(TARGET.resolve("server"), WAR, work.resolve("server"), env,
                "-Xms256m -Xmx768m -Djava.net.preferIPv4Stack=true");
        server.awaitDeployed(WAR.getFileName().toString(), Duration.ofSeconds(120));
        return server;
    }

    private static WsClient ready() {
        WsClient client = WsClient.connect(HttpClient.newHttpClient(), CHAT);
        client.until(f -> WsClient.isSystem(f, "ready"), Duration.ofSeconds(60));
        return client;
    }
}
