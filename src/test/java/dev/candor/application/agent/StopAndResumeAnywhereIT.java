package dev.candor.application.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.candor.domain.run.RunRepository;
import dev.candor.domain.thread.ChatThread;
import dev.candor.domain.thread.MessageRole;
import dev.candor.domain.thread.MessageStatus;
import dev.candor.domain.thread.ThreadRepository;
import dev.candor.infrastructure.cache.CacheKeys;
import dev.candor.testsupport.Deployments;
import dev.candor.testsupport.Eventually;
import dev.candor.testsupport.LocalRedis;
import dev.candor.testsupport.Runs;
import dev.candor.testsupport.WsClient;
import dev.candor.testsupport.llm.LlmProviderStub;
import dev.candor.testsupport.llm.LlmStubControl;
import dev.candor.testsupport.llm.Script;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * Stop and resume from any node, on one node: the test plays "the other node" by writing a RUNNING run held by another
 * node into the database and that run's events into Redis, and by publishing stops on {@code candor:stop} with a
 * client of its own.
 */
@ExtendWith(ArquillianExtension.class)
class StopAndResumeAnywhereIT {

    private static final Duration RUN = Duration.ofSeconds(20);
    private static final String OTHER_NODE = "other-node/0000";
    private static final long LEASE_MS = 3_000;

    @Deployment
    static WebArchive deployment() {
        Map<String, String> config = new HashMap<>(Deployments.withStub(LlmProviderStub.shared()));
        config.put("candor.redis.url", LocalRedis.ofItsOwn());
        config.put("candor.runs.lease-ms", String.valueOf(LEASE_MS));
        config.put("candor.runs.reclaim-interval-ms", "500");
        return Deployments.candor(config);
    }

    @Inject
    ThreadRepository threads;

    @Inject
    RunRepository runs;

    @Inject
    RunEventLog log;

    @Inject
    RunEventEncoder encoder;

    @Inject
    @ConfigProperty(name = "candor.redis.url")
    String redisUrl;

    @Inject
    @ConfigProperty(name = Deployments.STUB_CONTROL)
    String stubControl;

    private LlmStubControl stub;

    @BeforeEach
    void reset() {
        stub = new LlmStubControl(URI.create(stubControl));
        stub.reset();
    }

    @Test
    void resumingARunOfAnotherNodeDeliversItsStreamThenWhatItAppendsLive() {
        Remote run = remoteRun("anonymous", Instant.now().plusSeconds(60));
        run.append(1, new RunEvent.AgentStarted("candor", run.messageId));
        run.append(2, new RunEvent.AgentDelta("Hello "));
        try (WsClient client = WsClient.ready()) {
            client.send(resume(run.id, 0));
            client.until(f -> f.path("seq").asInt() == 2, RUN);
            run.append(3, new RunEvent.AgentDelta("there"));
            run.append(4, new RunEvent.RunCancelled(null, "Hello there"));
            List<JsonNode> events = client.runEvents(RUN);
            assertEquals(List.of(1, 2, 3, 4), client.seen().stream().filter(f -> f.has("seq"))
                    .map(f -> f.path("seq").asInt()).toList(), client.seen().toString());
            assertEquals("run_cancelled", Runs.last(events).path("type").asText());
            assertEquals("Hello there", Runs.deltas(client.seen()));
        }
    }

    @Test
    void stopOfARunOnAnotherNodeSetsItsFlagPublishesItAndTheStopperSeesItsEnd() throws Exception {
        Remote run = remoteRun("anonymous", Instant.now().plusSeconds(60));
        run.append(1, new RunEvent.AgentStarted("candor", run.messageId));
        run.append(2, new RunEvent.AgentDelta("partial"));
        List<String> heard = new CopyOnWriteArrayList<>();
        try (Jedis subscriber = jedis(); Jedis redis = jedis(); WsClient client = WsClient.ready()) {
            JedisPubSub listener = listen(subscriber, heard);
            try {
                client.send(stop(run.id));
                assertTrue(Eventually.within(Duration.ofSeconds(2), () -> heard.contains(run.id)), "not published");
                assertTrue(redis.exists(CacheKeys.runStop(run.id)), "no durable stop flag");
                long ttl = redis.pttl(CacheKeys.runStop(run.id));
                assertTrue(ttl > LEASE_MS && ttl <= 3 * LEASE_MS, "flag TTL " + ttl);

                run.append(3, new RunEvent.RunCancelled(null, "partial")); // what node A does on the stop
                List<JsonNode> seen = client.until(f -> f.has("seq") || "error".equals(f.path("type").asText()), RUN);
                JsonNode end = Runs.last(seen);
                assertEquals("run_cancelled", end.path("type").asText(), seen.toString());
                assertEquals(3, end.path("seq").asInt(), "the stopper follows from the run's newest event");
            } finally {
                listener.unsubscribe();
            }
        }
    }

    @Test
    void stopOfAnotherUsersRunOrOfAnEndedRunOnAnotherNodeIsRunNotFoundAndSetsNoFlag() {
        Remote foreign = remoteRun("alice-" + UUID.randomUUID(), Instant.now().plusSeconds(60));
        Remote ended = remoteRun("anonymous", Instant.now().plusSeconds(60));
        runs.failed(ended.id, "LLM_ERROR");
        try (Jedis redis = jedis(); WsClient client = WsClient.ready()) {
            for (Remote run : List.of(foreign, ended)) {
                JsonNode reply = client.request(stop(run.id));
                assertTrue(WsClient.isError(reply, "RUN_NOT_FOUND"), reply.toString());
                assertEquals(run.id, reply.path("payload").path("run_id").asText());
                assertFalse(redis.exists(CacheKeys.runStop(run.id)), "a flag was set for " + run.id);
            }
        }
    }

    @Test
    void aStopHeardOnTheChannelCancelsALocalRunAndAbortsTheProviderWithinASecond() {
        stub.enqueue(Script.empty().delayMs(8_000).text("too late"));
        try (Jedis redis = jedis(); WsClient client = WsClient.ready()) {
            String runId = startSlowRun(client);
            long start = System.nanoTime();
            redis.publish(CacheKeys.stopChannel(), runId); // no flag: only the subscriber can have stopped it
            assertTrue(Eventually.within(Duration.ofSeconds(1), () -> stub.disconnects() >= 1),
                    "the provider still holds the request 1 s after the stop was published");
            assertRunCancelled(client, start);
        }
    }

    @Test
    void aStopFlagAloneCancelsALocalRun() {
        stub.enqueue(Script.empty().delayMs(8_000).text("too late"));
        try (Jedis redis = jedis(); WsClient client = WsClient.ready()) {
            String runId = startSlowRun(client);
            long start = System.nanoTime();
            redis.psetex(CacheKeys.runStop(runId), 10_000, "1"); // as if the broadcast was missed
            assertTrue(Eventually.within(Duration.ofSeconds(2), () -> stub.disconnects() >= 1),
                    "the flag was not honoured");
            assertRunCancelled(client, start);
        }
    }

    @Test
    void aFollowedRunWhoseNodeDiedEndsWithRunInterrupted() {
        Remote run = remoteRun("anonymous", Instant.now().plusMillis(1_500));
        run.append(1, new RunEvent.AgentStarted("candor", run.messageId));
        run.append(2, new RunEvent.AgentDelta("half an answer"));
        try (WsClient client = WsClient.ready()) {
            client.send(resume(run.id, 0));
            List<JsonNode> events = client.runEvents(RUN);
            JsonNode end = Runs.last(events);
            assertEquals("agent_error", end.path("type").asText(), events.toString());
            assertEquals("RUN_INTERRUPTED", end.path("payload").path("error_code").asText());
            assertEquals(3, end.path("seq").asInt());
        }
    }

    @Test
    void aFollowedRunThatEndedWithoutItsTerminalEventInTheStreamEndsWithRunEventsLost() {
        Remote run = remoteRun("anonymous", Instant.now().plusSeconds(60));
        run.append(1, new RunEvent.AgentStarted("candor", run.messageId));
        try (WsClient client = WsClient.ready()) {
            client.send(resume(run.id, 0));
            client.until(f -> f.path("seq").asInt() == 1, RUN);
            runs.failed(run.id, "LLM_ERROR"); // its node recorded the end, but the terminal event never reached Redis
            JsonNode error = client.until(f -> "error".equals(f.path("type").asText()), Duration.ofSeconds(10))
                    .stream().reduce((a, b) -> b).orElseThrow();
            assertTrue(WsClient.isError(error, "RUN_EVENTS_LOST"), error.toString());
            assertEquals(run.id, error.path("payload").path("run_id").asText());
        }
    }

    private String startSlowRun(WsClient client) {
        client.send(WsClient.userMessage("Answer slowly", null, null));
        String runId = client.until(f -> "agent_started".equals(f.path("type").asText()), RUN).stream()
                .filter(f -> "agent_started".equals(f.path("type").asText())).findFirst().orElseThrow()
                .path("run_id").asText();
        assertTrue(Eventually.within(RUN, () -> stub.chatRequests().size() >= 1), "the provider was never called");
        return runId;
    }

    private static void assertRunCancelled(WsClient client, long start) {
        List<JsonNode> rest = client.runEvents(RUN);
        JsonNode cancelled = Runs.last(rest);
        assertEquals("run_cancelled", cancelled.path("type").asText(), rest.toString());
        assertTrue(cancelled.path("payload").path("message_id").isNull(), cancelled.toString());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 3_000, "the stop took too long");
    }

    /** A RUNNING run held by another node until {@code leaseUntil}, on a thread of {@code ownerId}. */
    private Remote remoteRun(String ownerId, Instant leaseUntil) {
        ChatThread thread = threads.create(ownerId, "remote run");
        String messageId = threads.append(thread.id(), MessageRole.USER, "question", MessageStatus.COMPLETE, null,
                null).id();
        String runId = UUID.randomUUID().toString();
        runs.start(runId, thread.id(), messageId, OTHER_NODE, leaseUntil);
        return new Remote(runId, thread.id(), messageId);
    }

    private final class Remote {
        final String id;
        final String threadId;
        final String messageId;

        Remote(String id, String threadId, String messageId) {
            this.id = id;
            this.threadId = threadId;
            this.messageId = messageId;
        }

        /** What the other node writes to this run's stream. */
        void append(long seq, RunEvent event) {
            AgentEvent agentEvent = new AgentEvent(id, threadId, seq, Instant.now(), event);
            log.append(List.of(new EncodedEvent(id, seq, event.terminal(), encoder.encode(agentEvent))));
        }
    }

    private Jedis jedis() {
        URI uri = URI.create(redisUrl);
        return new Jedis(uri.getHost(), uri.getPort());
    }

    private static JedisPubSub listen(Jedis subscriber, List<String> heard) throws InterruptedException {
        JedisPubSub listener = new JedisPubSub() {
            @Override
            public void onMessage(String channel, String message) {
                heard.add(message);
            }
        };
        Thread thread = new Thread(() -> subscriber.subscribe(listener, CacheKeys.stopChannel()), "test-subscriber");
        thread.setDaemon(true);
        thread.start();
        assertTrue(Eventually.within(Duration.ofSeconds(5), listener::isSubscribed), "the test could not subscribe");
        return listener;
    }

    private static String resume(String runId, long afterSeq) {
        return "{\"type\":\"resume\",\"payload\":{\"run_id\":\"" + runId + "\",\"after_seq\":" + afterSeq + "}}";
    }

    private static String stop(String runId) {
        return "{\"type\":\"stop_run\",\"payload\":{\"run_id\":\"" + runId + "\"}}";
    }
}
