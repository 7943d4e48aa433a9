package dev.candor.infrastructure.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.candor.testsupport.Deployments;
import dev.candor.testsupport.Eventually;
import dev.candor.testsupport.Http;
import dev.candor.testsupport.McpServers;
import dev.candor.testsupport.Ports;
import dev.candor.testsupport.Runs;
import dev.candor.testsupport.WsClient;
import dev.candor.testsupport.llm.LlmProviderStub;
import dev.candor.testsupport.llm.Script;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A required MCP server is down at boot: SERVICES fails, clients wait; once it is started they get ready. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class McpRequiredServerIT {

    private static final LlmProviderStub STUB = LlmProviderStub.start();
    private static final int PORT = Ports.free();
    private static Process server;

    @Deployment(testable = false)
    static WebArchive deployment() {
        String config = """
                {"servers": [{"name": "late", "transport": "http", "url": "http://127.0.0.1:%d/mcp", "required": true,
                              "connect_timeout_ms": 2000}]}
                """.formatted(PORT);
        Map<String, String> settings = new HashMap<>(Deployments.withStub(STUB));
        settings.put("candor.mcp.config", McpServers.configFile(config));
        settings.put("candor.init.timeouts-ms", "60000");
        settings.put("candor.init.retry-interval-ms", "1000");
        return Deployments.candor(settings);
    }

    @AfterAll
    static void stop() {
        McpServers.stop(server);
        STUB.close();
    }

    @Test
    void clientsWaitForTheRequiredServerThenGetReady() {
        String down = Http.awaitHealth("ready", b -> b.contains("\"failed_phase\":\"SERVICES\""), Duration.ofSeconds(30));
        assertTrue(down.startsWith("{\"status\":\"DOWN\""), down);

        try (WsClient client = WsClient.connect()) {
            assertTrue(WsClient.isSystem(client.next(Duration.ofSeconds(10)), "initializing"));
            Eventually.pause(3_000); // SERVICES is retried every second while the client waits, and keeps failing
            assertFalse(client.seen().stream().anyMatch(f -> WsClient.isSystem(f, "ready")
                    || "error".equals(f.path("type").asText())), client.seen().toString());

            server = McpServers.startHttp(PORT);
            List<JsonNode> frames = client.until(f -> WsClient.isSystem(f, "ready"), Duration.ofSeconds(30));
            assertTrue(WsClient.isSystem(frames.get(frames.size() - 1), "ready"), frames.toString());

            STUB.enqueue(Script.empty().toolCall("call_1", "late__get-sum", "{\"a\":1,\"b\":2}"), Script.reply("3"));
            client.send(WsClient.userMessage("1 + 2?", null, null));
            JsonNode completed = Runs.first(client.runEvents(Duration.ofSeconds(30)), "tool_completed");
            assertEquals("The sum of 1 and 2 is 3.", completed.path("payload").path("result").asText(),
                    completed.toString());
        }
        String up = Http.awaitHealth("ready", b -> b.startsWith("{\"status\":\"UP\""), Duration.ofSeconds(15));
        assertTrue(up.startsWith("{\"status\":\"UP\""), up);
    }
}
