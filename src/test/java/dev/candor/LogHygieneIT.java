package dev.candor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.candor.testsupport.Deployments;
import dev.candor.testsupport.Runs;
import dev.candor.testsupport.ServerLogTail;
import dev.candor.testsupport.WsClient;
import dev.candor.testsupport.llm.LlmProviderStub;
import dev.candor.testsupport.llm.Script;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The server log holds neither the API key nor what the user wrote, from the deployment on through a chat with a tool
 * call that handles the text, an answer quoting it and a broken frame carrying it; and by default (no OTEL_*) the
 * server does not trace: its correlation ids are the short random ones.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class LogHygieneIT {

    private static final ServerLogTail LOG = ServerLogTail.fromNow();
    private static final LlmProviderStub STUB = LlmProviderStub.start();
    private static final String API_KEY = "sk-hygiene-" + UUID.randomUUID();
    private static final String SECRET_TEXT = "marmalade-" + UUID.randomUUID();

    @Deployment(testable = false)
    static WebArchive deployment() {
        Map<String, String> config = new HashMap<>(Deployments.withStub(STUB));
        config.put("candor.llm.api-key", API_KEY);
        config.put("candor.llm.retries", "0");
        return Deployments.candor(config);
    }

    @AfterAll
    static void stopStub() {
        STUB.close();
    }

    @Test
    void neitherTheApiKeyNorTheUsersTextIsLogged() {
        try (WsClient client = WsClient.ready()) {
            STUB.enqueue(Script.empty().toolCall("call_h1", "search_conversations",
                    "{\"query\":\"" + SECRET_TEXT + "\"}"), Script.reply("You wrote ", SECRET_TEXT, "."));
            client.send(WsClient.userMessage("Remember " + SECRET_TEXT, null, null));
            List<JsonNode> events = client.runEvents(Duration.ofSeconds(20));
            assertEquals("agent_completed", Runs.last(events).path("type").asText(), events.toString());
            assertTrue(Runs.last(events).path("payload").path("content").asText().contains(SECRET_TEXT));
            assertTrue(STUB.chatRequests().get(0).headers().toString().contains(API_KEY),
                    "the key is in use, so a leak would show");

            client.send("{\"type\":\"user_message\",\"payload\":{\"content\":\"" + SECRET_TEXT + "\" 1e99999999999}");
            assertEquals("error", client.next(Duration.ofSeconds(10)).path("type").asText());

            STUB.enqueue(Script.empty().httpError(503, "{\"error\":{\"message\":\"overloaded\"}}", null));
            client.send(WsClient.userMessage("Again: " + SECRET_TEXT, null, null));
            JsonNode error = Runs.last(client.runEvents(Duration.ofSeconds(20)));
            assertEquals("agent_error", error.path("type").asText(), error.toString());
            assertTrue(error.path("payload").path("correlation_id").asText().matches("[0-9a-f]{12}"),
                    "untraced by default, the correlation id is the short random one: " + error);
        }

        List<String> lines = LOG.lines();
        assertTrue(LOG.found(), "no server log at " + LOG.file());
        assertTrue(lines.stream().anyMatch(l -> l.contains("LLM provider failure")), "the scenario's lines are "
                + "not in " + LOG.file() + ": " + lines.size() + " lines");
        assertTrue(lines.stream().anyMatch(l -> l.contains("tracing off")), "tracing is off by default");
        assertFalse(lines.stream().anyMatch(l -> l.contains("[io.opentelemetry") || l.contains("[io.smallrye.opentel")),
                "tracing off, OpenTelemetry logs nothing (no failed exports): " + lines);
        List<String> leaks = lines.stream().filter(l -> l.contains(API_KEY) || l.contains(SECRET_TEXT)).toList();
        assertTrue(leaks.isEmpty(), "the server log shows a secret or the user's text:\n" + String.join("\n", leaks));
        assertFalse(lines.stream().anyMatch(l -> l.contains("marmalade-")), "nor any part of it");
    }
}
