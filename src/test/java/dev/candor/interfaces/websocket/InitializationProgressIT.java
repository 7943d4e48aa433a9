package dev.candor.interfaces.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.candor.infrastructure.cache.RedisProcess;
import dev.candor.testsupport.Deployments;
import dev.candor.testsupport.Http;
import dev.candor.testsupport.LocalRedis;
import dev.candor.testsupport.Ports;
import dev.candor.testsupport.WsClient;
import dev.candor.testsupport.llm.LlmProviderStub;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A client connects while CACHE is failing (Redis down), then Redis starts: the client sees real progress for CACHE
 * to FINALIZE, then ready; phases already READY are not run again; nothing but initialization frames and errors
 * come before ready.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InitializationProgressIT {

    private static final int REDIS_PORT = Ports.free();

    @Deployment(testable = false)
    static WebArchive deployment() {
        Map<String, String> config = new HashMap<>(Deployments.withStub(LlmProviderStub.shared()));
        config.put("candor.redis.url", "redis://127.0.0.1:" + REDIS_PORT);
        config.put("candor.redis.timeout-ms", "300");
        config.put("candor.init.timeouts-ms", "30000");
        config.put("candor.init.retry-interval-ms", "200");
        return Deployments.candor(config);
    }

    @Test
    @Order(1)
    void sendsProgressForEachPhaseThenReadyOnceRedisIsUp() {
        String atBoot = Http.awaitHealth("started", b -> b.contains("\"CACHE\":\"FAILED"), Duration.ofSeconds(30));
        assertTrue(atBoot.contains("\"CACHE\":\"FAILED"), atBoot);
        try (WsClient client = WsClient.connect()) {
            JsonNode first = client.next(Duration.ofSeconds(5));
            assertTrue(WsClient.isSystem(first, "initializing"), first.toString());
            assertEquals(28, first.path("payload").path("progress").asInt(), "2 of 7 phases were ready: " + first);
            assertEquals("CACHE", first.path("payload").path("phase").asText());
            assertTrue(first.path("timestamp").asText().endsWith("Z"), first.toString());

            JsonNode notReady = client.request("{\"type\":\"ping\"}");
            assertTrue(WsClient.isError(notReady, "NOT_READY"), notReady.toString());
            JsonNode badJson = client.request("{\"type\":");
            assertTrue(WsClient.isError(badJson, "INVALID_JSON"), badJson.toString());

            try (RedisProcess redis = LocalRedis.start(REDIS_PORT)) {
                List<JsonNode> frames = client.until(f -> WsClient.isSystem(f, "ready"), Duration.ofSeconds(20));

                List<JsonNode> progress = frames.subList(0, frames.size() - 1);
                assertEquals(List.of("CACHE", "SERVICES", "WEBSOCKET", "VALIDATION", "FINALIZE"),
                        progress.stream().map(f -> f.path("payload").path("phase").asText()).toList(), frames.toString());
                for (int i = 0; i < progress.size(); i++) {
                    JsonNode payload = progress.get(i).path("payload");
                    assertEquals("initialization_progress", payload.path("event").asText());
                    assertEquals(3 + i, payload.path("phases_done").asInt());
                    assertEquals(7, payload.path("phases_total").asInt());
                    assertEquals((3 + i) * 100 / 7, payload.path("progress").asInt());
                }
                JsonNode ready = frames.get(frames.size() - 1).path("payload");
                assertEquals(100, ready.path("progress").asInt());
                assertTrue(ready.path("connection_id").asText().length() > 10, ready.toString());
                assertEquals("anonymous", ready.path("user_id").asText());

                JsonNode pong = client.request("{\"type\":\"ping\"}");
                assertEquals("pong", pong.path("type").asText(), pong.toString());
                for (JsonNode frame : client.seen().subList(0, client.seen().size() - 1)) {
                    String type = frame.path("type").asText();
                    assertTrue(type.equals("system_message") || type.equals("error"), "before ready: " + frame);
                }

                String started = Http.health("started").body();
                assertTrue(started.contains("\"DEPENDENCIES\":\"READY runs=1 "), started);
                assertTrue(started.contains("\"DATABASE\":\"READY runs=1 "), started);
                assertTrue(started.contains("\"FINALIZE\":\"READY runs=1 "), started);
            }
        }
    }

    @Test
    @Order(2)
    void aClientConnectingAfterStartupIsReadyStraightAway() {
        try (RedisProcess redis = LocalRedis.start(REDIS_PORT); WsClient waiting = WsClient.connect()) {
            waiting.until(f -> WsClient.isSystem(f, "ready"), Duration.ofSeconds(20));
            try (WsClient late = WsClient.connect()) {
                JsonNode first = late.next(Duration.ofSeconds(5));
                assertTrue(WsClient.isSystem(first, "initializing"), first.toString());
                assertEquals(100, first.path("payload").path("progress").asInt());
                JsonNode second = late.next(Duration.ofSeconds(5));
                assertTrue(WsClient.isSystem(second, "ready"), second.toString());
            }
        }
    }
}
