package dev.candor.application.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.candor.testsupport.Deployments;
import dev.candor.testsupport.Runs;
import dev.candor.testsupport.WsClient;
import dev.candor.testsupport.llm.LlmProviderStub;
import dev.candor.testsupport.llm.RecordedRequest;
import dev.candor.testsupport.llm.Script;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The same streaming run with the Anthropic provider: the Messages API, its SSE events and a tool call. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AnthropicIT {

    private static final LlmProviderStub STUB = LlmProviderStub.start();

    @Deployment(testable = false)
    static WebArchive deployment() {
        Map<String, String> config = new HashMap<>(Deployments.withStub(STUB));
        config.put("candor.llm.provider", "anthropic");
        config.put("candor.llm.base-url", STUB.anthropicBaseUrl().toString());
        config.put("candor.llm.model", "stub-claude");
        return Deployments.candor(config);
    }

    @Test
    void streamsAnAnthropicAnswerWithAToolCall() {
        STUB.reset();
        STUB.enqueue(Script.empty().toolCall("toolu_1", "current_time", "{\"zone\":\"UTC\"}").usage(10, 1),
                Script.reply("It is ", "now ", "in UTC.").usage(30, 3));
        try (WsClient client = WsClient.ready()) {
            client.send(WsClient.userMessage("What time is it?", null, null));
            List<JsonNode> events = client.runEvents(Duration.ofSeconds(20));

            assertEquals(List.of("thread_created", "agent_started", "tool_executing", "tool_completed",
                    "agent_thinking", "agent_delta", "agent_delta", "agent_delta", "agent_completed"),
                    Runs.types(events));
            JsonNode completed = Runs.last(events).path("payload");
            assertEquals("It is now in UTC.", Runs.deltas(events));
            assertEquals("It is now in UTC.", completed.path("content").asText());
            assertEquals(30 + 10, completed.path("usage").path("input_tokens").asInt(), "usage of both turns");
            assertEquals(3 + 1, completed.path("usage").path("output_tokens").asInt(), "usage of both turns");
            assertTrue(Runs.first(events, "tool_completed").path("payload").path("result").asText().contains("(UTC)"));

            RecordedRequest request = STUB.chatRequests().get(0);
            assertEquals(RecordedRequest.Kind.ANTHROPIC_CHAT, request.kind());
            assertEquals("test-key", request.header("x-api-key"));
            assertEquals("stub-claude", request.json().path("model").asText());
        }
    }
}
