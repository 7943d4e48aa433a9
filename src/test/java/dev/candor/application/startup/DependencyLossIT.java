package dev.candor.application.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.candor.infrastructure.cache.CacheKeys;
import dev.candor.infrastructure.cache.RedisProcess;
import dev.candor.testsupport.Deployments;
import dev.candor.testsupport.Eventually;
import dev.candor.testsupport.Http;
import dev.candor.testsupport.LocalRedis;
import dev.candor.testsupport.Ports;
import dev.candor.testsupport.Runs;
import dev.candor.testsupport.WsClient;
import dev.candor.testsupport.llm.LlmProviderStub;
import dev.candor.testsupport.llm.Script;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.RedisClient;

/**
 * The fault matrix for Redis and the LLM provider after boot, with real processes: a redis-server the test stops and
 * starts on the same port, and the provider stand-in closed and started again on its port. For each fault: the answer
 * in flight, what connected and new clients are told, health and the ledger, the stored messages, and the recovery.
 * (Down at boot: {@link RedisRecoveryIT}, {@code InitializationFailureIT}, {@code LlmCircuitBreakerIT}; the database:
 * {@code DatabaseLossIT}; a killed server: {@code HistorySurvivesRestartIT}.)
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DependencyLossIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int REDIS_PORT = Ports.free();
    private static final int LLM_PORT = Ports.free();
    private static final Duration LONG = Duration.ofSeconds(30);
    private static final List<String> PIECES = IntStream.range(0, 24).mapToObj(i -> "word" + i + " ").toList();
    private static final String ANSWER = String.join("", PIECES);

    private static RedisProcess redis = LocalRedis.start(REDIS_PORT);
    private static LlmProviderStub llm = LlmProviderStub.start(LLM_PORT);
    private static boolean llmDown;

    @Deployment(testable = false)
    static WebArchive deployment() {
        Map<String, String> config = new HashMap<>(Deployments.withStub(llm));
        config.put("candor.redis.url", "redis://127.0.0.1:" + REDIS_PORT);
        config.put("candor.redis.timeout-ms", "500");
        config.put("candor.health.refresh-interval-ms", "500");
        config.put("candor.health.probe-timeout-ms", "1000");
        config.put("candor.llm.check-timeout-ms", "1000");
        config.put("candor.init.retry-interval-ms", "250");
        config.put("candor.init.timeouts-ms", "60000");
        config.put("candor.llm.idle-timeout-ms", "3000"); // a provider that dies without closing is noticed soon
        return Deployments.candor(config);
    }

    /** Each test starts with both dependencies up, whatever an earlier failed test left. */
    @BeforeEach
    void bothUp() {
        if (!redis.isAlive()) {
            redis = LocalRedis.start(REDIS_PORT);
        }
        if (llmDown) {
            llm = LlmProviderStub.start(LLM_PORT);
            llmDown = false;
        }
        assertAgree(null, PhaseState.READY);
    }

    private static void stopLlm() {
        llm.close();
        llmDown = true;
    }

    private static void startLlm() {
        llm = LlmProviderStub.start(LLM_PORT);
        llmDown = false;
    }

    @AfterAll
    static void stopProcesses() {
        redis.close();
        llm.close();
    }

    @Test
    @Order(1)
    void redisLostMidAnswerTheAnswerArrivesIsStoredAndClientsAreToldTheTruth() throws Exception {
        try (WsClient client = WsClient.ready()) {
            llm.enqueue(Script.reply(PIECES.toArray(String[]::new)).everyMs(120)); // about 3 s of answer
            client.send(WsClient.userMessage("a question", null, "redis-mid-1"));
            List<JsonNode> start = client.until(f -> "agent_delta".equals(f.path("type").asText()), LONG);
            String threadId = Runs.first(start, "thread_created").path("payload").path("thread_id").asText();

            redis.close(); // killed while the LLM streams

            List<JsonNode> rest = client.until(f -> "agent_completed".equals(f.path("type").asText())
                    || "agent_error".equals(f.path("type").asText()), LONG);
            List<JsonNode> run = concat(start, rest);
            JsonNode completed = Runs.last(run);
            assertEquals("agent_completed", completed.path("type").asText(), "the real answer was thrown away: "
                    + completed);
            assertEquals(ANSWER, completed.path("payload").path("content").asText());
            assertEquals(ANSWER, Runs.deltas(run), "no text the provider did not send");

            JsonNode lost = client.seen().stream().filter(f -> WsClient.isSystem(f, "reinitializing")).findFirst()
                    .orElseGet(() -> client.until(f -> WsClient.isSystem(f, "reinitializing"), LONG).get(0));
            assertEquals("CACHE", lost.path("payload").path("phase").asText());
            assertTrue(lost.path("payload").path("progress").asInt() < 100, lost.toString());
            assertFalse(lost.path("payload").path("message").asText().contains("Exception"), lost.toString());

            client.send(WsClient.userMessage("while Redis is down", threadId, "redis-mid-2"));
            JsonNode refused = client.until(f -> "error".equals(f.path("type").asText()), LONG).get(0);
            assertTrue(WsClient.isError(refused, "NOT_READY"), refused.toString());
            assertTrue(refused.path("payload").path("retry_after_ms").asLong() > 0, refused.toString());
            assertEquals("redis-mid-2", refused.path("payload").path("client_message_id").asText());

            assertAgree("CACHE", PhaseState.FAILED);
            try (WsClient newcomer = WsClient.connect()) {
                JsonNode first = newcomer.next(Duration.ofSeconds(5));
                assertTrue(WsClient.isSystem(first, "initializing"), first.toString());
                assertTrue(first.path("payload").path("progress").asInt() < 100, first.toString());

                long back = System.nanoTime();
                redis = LocalRedis.start(REDIS_PORT);
                List<JsonNode> again = client.until(f -> WsClient.isSystem(f, "ready"), LONG);
                newcomer.until(f -> WsClient.isSystem(f, "ready"), LONG);
                System.out.printf("FIGURE redis back -> connected client ready: %d ms%n", msSince(back));
                List<String> phases = again.stream().filter(f -> WsClient.isSystem(f, "initialization_progress"))
                        .map(f -> f.path("payload").path("phase").asText()).toList();
                assertEquals(List.of("CACHE", "SERVICES", "WEBSOCKET", "VALIDATION", "FINALIZE"), phases);
            }
            assertAgree(null, PhaseState.READY);

            List<JsonNode> after = ask(client, "after Redis is back", threadId, "redis-mid-3");
            assertEquals("agent_completed", Runs.last(after).path("type").asText(), after.toString());

            // Stored: the question and its answer, then the later turn; the refused message was not kept.
            assertEquals(List.of("user:a question", "assistant:" + ANSWER, "user:after Redis is back"),
                    messages(threadId).subList(0, 3));
            assertEquals(4, messages(threadId).size());

            // The events queued while Redis was down reached the run's stream once it was back, up to the terminal
            // one. (The events written before the kill died with that redis-server, which kept no data.)
            String runId = completed.path("run_id").asText();
            try (RedisClient direct = RedisClient.create("redis://127.0.0.1:" + REDIS_PORT)) {
                String key = CacheKeys.runEvents(runId);
                assertTrue(Eventually.within(Duration.ofSeconds(15), () -> !direct.xrevrange(key, "+", "-", 1)
                        .isEmpty() && direct.xrevrange(key, "+", "-", 1).get(0).getID().getTime() == run.size()),
                        "the terminal event never reached the stream");
                long first = direct.xrange(key, "-", "+", 1).get(0).getID().getTime();
                assertEquals(run.size() - first + 1, direct.xlen(key), "a hole in the stream after seq " + first);
                if (first > 1) { // the gap can no longer be closed: a resume says so instead of skipping it
                    try (WsClient resumer = WsClient.ready()) {
                        resumer.send("{\"type\":\"resume\",\"payload\":{\"run_id\":\"" + runId
                                + "\",\"after_seq\":0}}");
                        JsonNode lostEvents = resumer.until(f -> "error".equals(f.path("type").asText()), LONG)
                                .get(0);
                        assertTrue(WsClient.isError(lostEvents, "RUN_EVENTS_LOST"), lostEvents.toString());
                        assertEquals(runId, lostEvents.path("payload").path("run_id").asText(), lostEvents.toString());
                    }
                }
            }
        }
    }

    @Test
    @Order(2)
    void redisFlappingThreeTimesEveryClientEndsReady() {
        try (WsClient client = WsClient.ready()) {
            for (int i = 0; i < 3; i++) {
                redis.close();
                client.until(f -> WsClient.isSystem(f, "reinitializing"), LONG);
                assertAgree("CACHE", PhaseState.FAILED);
                Eventually.pause(1500);
                try (WsClient during = WsClient.connect()) {
                    JsonNode first = during.next(Duration.ofSeconds(5));
                    assertTrue(first.path("payload").path("progress").asInt() < 100, first.toString());
                    redis = LocalRedis.start(REDIS_PORT);
                    client.until(f -> WsClient.isSystem(f, "ready"), LONG);
                    during.until(f -> WsClient.isSystem(f, "ready"), LONG);
                }
            }
            assertAgree(null, PhaseState.READY);
            List<JsonNode> run = ask(client, "after the flaps", null, "redis-flap");
            assertEquals("agent_completed", Runs.last(run).path("type").asText(), run.toString());
            assertEquals(Runs.deltas(run), Runs.last(run).path("payload").path("content").asText());
        }
    }

    @Test
    @Order(3)
    void providerLostMidAnswerEndsWithAnErrorAndOnlyTheTextItSent() {
        try (WsClient client = WsClient.ready()) {
            llm.enqueue(Script.reply(PIECES.toArray(String[]::new)).everyMs(120));
            client.send(WsClient.userMessage("a question for a dying provider", null, "llm-mid-1"));
            List<JsonNode> start = client.until(f -> "agent_delta".equals(f.path("type").asText()), LONG);
            String threadId = Runs.first(start, "thread_created").path("payload").path("thread_id").asText();

            stopLlm();

            List<JsonNode> rest = client.runEvents(LONG);
            List<JsonNode> run = concat(start, rest);
            JsonNode end = Runs.last(run);
            assertEquals("agent_error", end.path("type").asText(), end.toString());
            assertTrue(ANSWER.startsWith(Runs.deltas(run)), "text the provider did not send: " + Runs.deltas(run));
            assertFalse(end.path("payload").path("message").asText().contains("Exception"), end.toString());

            client.until(f -> WsClient.isSystem(f, "reinitializing")
                    && "DEPENDENCIES".equals(f.path("payload").path("phase").asText()), LONG);
            assertAgree("DEPENDENCIES", PhaseState.FAILED);
            client.send(WsClient.userMessage("while the provider is down", threadId, "llm-mid-2"));
            JsonNode refused = client.until(f -> "error".equals(f.path("type").asText()), LONG).get(0);
            assertTrue(WsClient.isError(refused, "NOT_READY"), refused.toString());

            long back = System.nanoTime();
            startLlm();
            client.until(f -> WsClient.isSystem(f, "ready"), LONG);
            System.out.printf("FIGURE provider back -> connected client ready: %d ms%n", msSince(back));
            assertAgree(null, PhaseState.READY);

            List<JsonNode> after = ask(client, "after the provider is back", threadId, "llm-mid-3");
            assertEquals("agent_completed", Runs.last(after).path("type").asText(), after.toString());
            List<String> stored = messages(threadId);
            assertEquals("user:a question for a dying provider", stored.get(0));
            assertTrue(stored.contains("user:after the provider is back"), stored.toString());
            assertFalse(stored.contains("user:while the provider is down"), stored.toString());
        }
    }

    @Test
    @Order(4)
    void providerFlappingThreeTimesEveryClientEndsReady() {
        try (WsClient client = WsClient.ready()) {
            for (int i = 0; i < 3; i++) {
                stopLlm();
                client.until(f -> WsClient.isSystem(f, "reinitializing"), LONG);
                assertAgree("DEPENDENCIES", PhaseState.FAILED);
                Eventually.pause(1500);
                startLlm();
                client.until(f -> WsClient.isSystem(f, "ready"), LONG);
            }
            assertAgree(null, PhaseState.READY);
            List<JsonNode> run = ask(client, "after the provider flapped", null, "llm-flap");
            assertEquals("agent_completed", Runs.last(run).path("type").asText(), run.toString());
        }
    }

    @Test
    @Order(5)
    void twoHundredClientsWaitThroughAnOutageAndTheLostPhaseRunsOncePerAttempt() {
        redis.close();
        assertTrue(Eventually.within(LONG, () -> phase("CACHE").startsWith("FAILED")), phase("CACHE"));
        JsonNode before = startedData();
        HttpClient http = HttpClient.newHttpClient();
        List<WsClient> clients = new ArrayList<>();
        try {
            List<CompletableFuture<WsClient>> connecting = IntStream.range(0, 200)
                    .mapToObj(i -> WsClient.connectAsync(http)).toList();
            connecting.forEach(c -> clients.add(c.join()));
            for (WsClient client : clients) {
                JsonNode first = client.next(Duration.ofSeconds(10));
                assertTrue(WsClient.isSystem(first, "initializing"), first.toString());
                assertTrue(first.path("payload").path("progress").asInt() < 100, first.toString());
            }
            Eventually.pause(1500); // several on-demand attempts fail meanwhile

            long back = System.nanoTime();
            redis = LocalRedis.start(REDIS_PORT);
            List<Long> readyMs = Collections.synchronizedList(new ArrayList<>());
            clients.parallelStream().forEach(client -> {
                client.until(f -> WsClient.isSystem(f, "ready"), LONG);
                readyMs.add(msSince(back));
            });
            Collections.sort(readyMs);
            System.out.printf("FIGURE redis back -> 200 waiting clients ready: p50 %d ms, max %d ms%n",
                    readyMs.get(readyMs.size() / 2), readyMs.get(readyMs.size() - 1));

            // Once ready, no attempt runs: read when the counts stand still (the last attempt is counted as it ends).
            JsonNode[] settled = new JsonNode[1];
            assertTrue(Eventually.within(LONG, () -> {
                JsonNode first = startedData();
                Eventually.pause(300);
                settled[0] = startedData();
                return first.path("attempts").asLong() == settled[0].path("attempts").asLong();
            }), "attempts still running after ready");
            JsonNode after = settled[0];
            long attempts = after.path("attempts").asLong() - before.path("attempts").asLong();
            long cacheRuns = runs(after, "CACHE") - runs(before, "CACHE");
            assertTrue(attempts >= 1, "no attempt ran");
            // An attempt is counted as it ends, its CACHE run as CACHE starts: one attempt may have been in flight
            // when "before" was read (its CACHE run counted there, the attempt only here). Never more runs than
            // attempts, never more than that one fewer.
            assertTrue(cacheRuns == attempts || cacheRuns == attempts - 1,
                    "CACHE must run exactly once per attempt: " + before + " -> " + after);
            assertEquals(1, runs(after, "FINALIZE") - runs(before, "FINALIZE"), after.toString());
            assertEquals(0, runs(after, "DATABASE") - runs(before, "DATABASE"), "DATABASE was not lost");
            assertAgree(null, PhaseState.READY);
        } finally {
            clients.forEach(WsClient::close);
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private static List<JsonNode> ask(WsClient client, String content, String threadId, String clientMessageId) {
        client.send(WsClient.userMessage(content, threadId, clientMessageId));
        return client.runEvents(LONG);
    }

    /** "role:content" of every stored message of the thread, in order. */
    private static List<String> messages(String threadId) {
        List<String> out = new ArrayList<>();
        for (JsonNode message : Runs.thread(threadId).path("messages")) {
            out.add(message.path("role").asText().toLowerCase() + ":" + message.path("content").asText());
        }
        return out;
    }

    /**
     * Readiness, the ledger (in the startup check's data) and what clients were told agree: with {@code lost} down,
     * readiness is DOWN and that phase is {@code state}; with {@code lost} null, readiness is UP and every phase READY.
     */
    private static void assertAgree(String lost, PhaseState state) {
        if (lost == null) {
            String ready = Http.awaitHealth("ready", b -> b.startsWith("{\"status\":\"UP\""), LONG);
            assertTrue(ready.startsWith("{\"status\":\"UP\""), ready);
            JsonNode data = startedData();
            for (Phase phase : Phase.values()) {
                assertTrue(data.path(phase.name()).asText().startsWith("READY"), data.toString());
            }
            return;
        }
        String ready = Http.awaitHealth("ready", b -> b.startsWith("{\"status\":\"DOWN\""), LONG);
        assertTrue(ready.startsWith("{\"status\":\"DOWN\""), ready);
        String now = phase(lost);
        assertTrue(now.startsWith(state.name()) || now.startsWith("RUNNING"), lost + " is " + now);
        String started = Http.health("started").body();
        assertTrue(started.startsWith("{\"status\":\"UP\""), "started stays UP after boot: " + started);
    }

    private static String phase(String name) {
        return startedData().path(name).asText();
    }

    private static long runs(JsonNode data, String phase) {
        String text = data.path(phase).asText(); // "READY runs=3 ms=12"
        return Long.parseLong(text.replaceAll(".*runs=(\\d+).*", "$1"));
    }

    private static JsonNode startedData() {
        try {
            JsonNode body = JSON.readTree(Http.health("started").body());
            for (JsonNode check : body.path("checks")) {
                if ("candor-startup".equals(check.path("name").asText())) {
                    return check.path("data");
                }
            }
            throw new AssertionError("no candor-startup check in " + body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<JsonNode> concat(List<JsonNode> a, List<JsonNode> b) {
        List<JsonNode> all = new ArrayList<>(a);
        all.addAll(b);
        return all.stream().filter(f -> f.has("run_id")).collect(Collectors.toList()); // run events only
    }

    private static long msSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
