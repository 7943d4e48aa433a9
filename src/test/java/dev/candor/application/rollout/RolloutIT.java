package dev.candor.application.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.candor.infrastructure.cache.RedisProcess;
import dev.candor.testsupport.Deployments;
import dev.candor.testsupport.Http;
import dev.candor.testsupport.Keycloak;
import dev.candor.testsupport.LocalRedis;
import dev.candor.testsupport.Ports;
import dev.candor.testsupport.Runs;
import dev.candor.testsupport.ServerLogTail;
import dev.candor.testsupport.WsClient;
import dev.candor.testsupport.llm.LlmProviderStub;
import dev.candor.testsupport.llm.RecordedRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

/**
 * Rollout switches flipped at runtime on the deployed server, followed by the next connections by cohort: the model
 * through the rollout file, a tool through the Redis hash (which wins over the file), and on-demand re-initialization
 * through the file while Redis is down. Users are Keycloak's alice, bob and carol (no role required here); which of
 * them falls inside a percentage comes from their token's {@code sub}, so the percentages are picked to split them.
 * The deployment has its own rollout file and a Redis of its own, so nothing of it reaches other tests.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RolloutIT {

    private static final Duration LONG = Duration.ofSeconds(30);
    private static final Duration SWITCH_SEEN = Duration.ofSeconds(10);
    private static final LlmProviderStub LLM = LlmProviderStub.shared();
    private static final Path FILE = Path.of("target", "candor-data", "rollout-RolloutIT.properties")
            .toAbsolutePath();
    private static final String HASH = "candor:rollout:RolloutIT";
    private static final int REDIS_PORT = Ports.free();
    private static RedisProcess redis;

    @Deployment(testable = false)
    static WebArchive deployment() throws IOException {
        Files.deleteIfExists(FILE);
        redis = LocalRedis.start(REDIS_PORT);
        // Stopped at exit, after the undeployment: a Redis stopped before it would fail CACHE in the server's log.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> redis.close()));
        Map<String, String> config = new HashMap<>(Deployments.withStub(LLM));
        config.putAll(Keycloak.candorSettings());
        config.remove("candor.auth.role"); // carol too, for a third user id
        config.put("candor.redis.url", "redis://127.0.0.1:" + REDIS_PORT);
        config.put("candor.rollout.file", FILE.toString());
        config.put("candor.rollout.redis-key", HASH);
        config.put("candor.rollout.file-poll-ms", "250");
        config.put("candor.rollout.redis-poll-ms", "500");
        return Deployments.candor(config);
    }

    @AfterAll
    static void cleanUp() throws IOException {
        Files.deleteIfExists(FILE);
    }

    /** A user and their bearer token. */
    private record User(String name, String id, String token) {
    }

    /** Two users of the realm on either side of a percentage of {@code switchName}, and that percentage. */
    private record Split(User inside, User outside, int percent) {
    }

    private static Split split(String switchName) {
        List<User> users = new ArrayList<>();
        for (String name : List.of("alice", "bob", "carol")) {
            String token = Keycloak.token(name, name + "-password");
            users.add(new User(name, Keycloak.claims(token).path("sub").asText(), token));
        }
        users.sort(Comparator.comparingInt(user -> CohortHash.bucket(switchName, user.id())));
        User inside = users.get(0);
        User outside = users.get(users.size() - 1);
        int percent = CohortHash.bucket(switchName, outside.id()); // inside's bucket is below it, outside's is not
        assertNotEquals(CohortHash.bucket(switchName, inside.id()), percent, "three users in one bucket of 100");
        return new Split(inside, outside, percent);
    }

    private static void writeFile(String... lines) throws IOException {
        Path temporary = FILE.resolveSibling(FILE.getFileName() + ".tmp");
        Files.writeString(temporary, String.join("\n", lines) + "\n");
        Files.move(temporary, FILE, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String awaitSwitchLog(ServerLogTail log, String key, String change) {
        String line = log.await(l -> l.contains("rollout switch " + key + ": " + change), SWITCH_SEEN);
        assertNotNull(line, "no log line 'rollout switch " + key + ": " + change + "' in:\n"
                + log.lines().stream().filter(l -> l.contains("rollout")).collect(Collectors.joining("\n")));
        return line;
    }

    /** Sends one chat as {@code user} on a new connection; the chat request the provider received for it. */
    private static RecordedRequest chatAs(User user) {
        LLM.clearRecorded();
        try (WsClient client = WsClient.connect(WsClient.CHAT, Map.of("Authorization", "Bearer " + user.token()))) {
            client.until(f -> WsClient.isSystem(f, "ready"), LONG);
            client.send(WsClient.userMessage("hello from " + user.name(), null, null));
            List<JsonNode> events = client.runEvents(LONG);
            assertEquals("agent_completed", Runs.last(events).path("type").asText(), events.toString());
        }
        List<RecordedRequest> chats = LLM.chatRequests();
        assertEquals(1, chats.size(), "one model turn");
        return chats.get(0);
    }

    private static List<String> tools(RecordedRequest request) {
        List<String> names = new ArrayList<>();
        request.json().path("tools").forEach(tool -> names.add(tool.path("function").path("name").asText()));
        return names;
    }

    @Test
    void theNextConnectionsFollowTheSwitchesByCohort() throws IOException {
        Split model = split(RolloutSwitches.PROVIDER_MODEL);
        ServerLogTail log = ServerLogTail.fromNow();
        writeFile("candor.rollout.provider.model.percent=" + model.percent(),
                "candor.rollout.provider.model.value=candidate-model",
                "candor.rollout.tool.current_time.percent=100");
        awaitSwitchLog(log, "candor.rollout.provider.model.percent", "unset -> " + model.percent()
                + " (source: rollout file)");
        assertEquals("candidate-model", chatAs(model.inside()).json().path("model").asText());
        assertEquals("stub-model", chatAs(model.outside()).json().path("model").asText());

        try (Jedis jedis = new Jedis("127.0.0.1", REDIS_PORT)) {
            jedis.hset(HASH, "candor.rollout.tool.current_time.percent", "0");
            awaitSwitchLog(log, "candor.rollout.tool.current_time.percent", "100 -> 0 (source: rollout Redis hash)");
            List<String> offered = tools(chatAs(model.inside()));
            assertFalse(offered.contains("current_time"), "switched off in Redis, over the file's 100: " + offered);
            assertTrue(offered.contains("search_conversations"), offered.toString());

            jedis.hdel(HASH, "candor.rollout.tool.current_time.percent");
            awaitSwitchLog(log, "candor.rollout.tool.current_time.percent", "0 -> 100 (source: rollout file)");
            assertTrue(tools(chatAs(model.inside())).contains("current_time"), "back on");

            jedis.hset(HASH, "candor.rollout.provider.model.percent", "many");
            assertNotNull(log.await(l -> l.contains("rejecting candor.rollout.provider.model.percent='many'"),
                    SWITCH_SEEN), "a bad value is reported");
            assertEquals("candidate-model", chatAs(model.inside()).json().path("model").asText(),
                    "the file's value still holds");
            jedis.del(HASH);
        }
    }

    @Test
    void aCohortWithOnDemandInitializationOffWaitsForNoNewAttempt() throws IOException {
        Split gate = split(RolloutSwitches.INIT_ON_DEMAND);
        ServerLogTail log = ServerLogTail.fromNow();
        writeFile("candor.rollout.init.on-demand.percent=" + gate.percent());
        awaitSwitchLog(log, "candor.rollout.init.on-demand.percent", "unset -> " + gate.percent()
                + " (source: rollout file)");
        redis.close();
        try {
            String down = Http.awaitHealth("ready", body -> body.contains("\"DOWN\""), LONG);
            assertTrue(down.contains("\"DOWN\""), down);

            try (WsClient refused = WsClient.connect(WsClient.CHAT, Map.of("Authorization", "Bearer "
                    + gate.outside().token()))) {
                JsonNode error = Runs.last(refused.until(f -> "error".equals(f.path("type").asText()), LONG));
                assertTrue(WsClient.isError(error, "SERVICE_INIT_FAILED"), error.toString());
                assertTrue(error.path("payload").path("message").asText().startsWith("Candor is not ready: "),
                        error.toString());
                assertEquals(1011, refused.awaitClose(LONG));
            }

            try (WsClient waiting = WsClient.connect(WsClient.CHAT, Map.of("Authorization", "Bearer "
                    + gate.inside().token()))) {
                assertTrue(WsClient.isSystem(waiting.next(LONG), "initializing"));
                redis = LocalRedis.start(REDIS_PORT);
                JsonNode ready = Runs.last(waiting.until(f -> WsClient.isSystem(f, "ready")
                        || "error".equals(f.path("type").asText()), LONG));
                assertTrue(WsClient.isSystem(ready, "ready"), "the cohort that starts attempts waits: " + ready);
            }
        } finally {
            if (!redis.isAlive()) {
                redis = LocalRedis.start(REDIS_PORT);
            }
            Files.deleteIfExists(FILE);
        }
    }
}
