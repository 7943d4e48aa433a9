package dev.candor.application.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.candor.application.tracing.OtlpReceiver.ReceivedSpan;
import dev.candor.testsupport.Deployments;
import dev.candor.testsupport.Eventually;
import dev.candor.testsupport.Runs;
import dev.candor.testsupport.ServerLogTail;
import dev.candor.testsupport.WsClient;
import dev.candor.testsupport.llm.LlmProviderStub;
import dev.candor.testsupport.llm.Script;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * With tracing switched on (the otel.* settings the OTEL_* variables map to, here in the deployment's configuration so
 * the shared server stays untraced), the spans of a chat, a tool call, a provider failure and the boot initialization
 * reach an OTLP receiver, with the GenAI attributes and token counts the provider stand-in reported.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TracingIT {

    private static final LlmProviderStub STUB = LlmProviderStub.start();
    private static final OtlpReceiver RECEIVER = OtlpReceiver.start();
    private static final Duration RUN = Duration.ofSeconds(20);
    private static final Duration EXPORT = Duration.ofSeconds(15);

    @Deployment(testable = false)
    static WebArchive deployment() {
        Map<String, String> config = new HashMap<>(Deployments.withStub(STUB));
        config.put("candor.llm.retries", "0");
        config.put("otel.sdk.disabled", "false");
        config.put("otel.service.name", "candor-tracing-it");
        config.put("otel.exporter.otlp.endpoint", RECEIVER.endpoint().toString());
        config.put("otel.exporter.otlp.protocol", "http/protobuf");
        config.put("otel.bsp.schedule.delay", "200");
        config.put("otel.metrics.exporter", "none");
        config.put("otel.logs.exporter", "none");
        return Deployments.candor(config);
    }

    private WsClient client;

    @BeforeEach
    void connect() {
        STUB.reset();
        client = WsClient.ready();
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void aTurnWithAToolCallIsOneTraceWithGenAiSpans() {
        STUB.enqueue(Script.empty().toolCall("call_t1", "current_time", "{\"zone\":\"UTC\"}").usage(31, 5),
                Script.reply("It is ", "now.").usage(47, 3));

        client.send(WsClient.userMessage("What time is it?", null, null));
        List<JsonNode> events = client.runEvents(RUN);
        assertEquals("agent_completed", Runs.last(events).path("type").asText(), events.toString());
        String runId = Runs.last(events).path("run_id").asText();

        ReceivedSpan turn = awaitTurn(runId, 6);
        List<ReceivedSpan> trace = inTrace(turn.traceId());
        assertEquals("", turn.parentSpanId(), "user_message is the root");
        assertTrue(turn.events().stream().anyMatch(e -> e.name().equals("agent_completed")
                && "agent_completed".equals(e.attributes().get("candor.terminal.type"))), turn.toString());
        assertFalse(turn.error(), turn.toString());

        Map<String, List<ReceivedSpan>> children = trace.stream().filter(s -> s.parentSpanId().equals(turn.spanId()))
                .collect(Collectors.groupingBy(ReceivedSpan::name));
        assertEquals(Set.of("store_message", "commit_message", "chat stub-model", "execute_tool current_time"),
                children.keySet(), trace.toString());

        List<ReceivedSpan> calls = children.get("chat stub-model");
        assertEquals(2, calls.size(), calls.toString());
        for (ReceivedSpan call : calls) {
            assertEquals("chat", call.attribute("gen_ai.operation.name"));
            assertEquals("openai", call.attribute("gen_ai.provider.name"));
            assertEquals("openai", call.attribute("gen_ai.system"));
            assertEquals("stub-model", call.attribute("gen_ai.request.model"));
        }
        assertEquals(Set.of("31/5", "47/3"), calls.stream().map(c -> c.attribute("gen_ai.usage.input_tokens") + "/"
                + c.attribute("gen_ai.usage.output_tokens")).collect(Collectors.toSet()), calls.toString());

        ReceivedSpan tool = children.get("execute_tool current_time").get(0);
        assertEquals("execute_tool", tool.attribute("gen_ai.operation.name"));
        assertEquals("current_time", tool.attribute("gen_ai.tool.name"));
        assertEquals("call_t1", tool.attribute("gen_ai.tool.call.id"));
        assertFalse(tool.error(), tool.toString());
        assertFalse(trace.toString().contains("What time is it?"), "no message text in spans: " + trace);
    }

    @Test
    void aProviderFailureMarksTheSpansAndItsCorrelationIdIsTheTraceId() {
        ServerLogTail log = ServerLogTail.fromNow();
        STUB.enqueue(Script.empty().httpError(503, "{\"error\":{\"message\":\"overloaded\"}}", null));

        client.send(WsClient.userMessage("Are you there?", null, null));
        JsonNode error = Runs.last(client.runEvents(RUN));
        assertEquals("agent_error", error.path("type").asText(), error.toString());
        assertEquals("LLM_UNAVAILABLE", error.path("payload").path("error_code").asText(), error.toString());
        String correlationId = error.path("payload").path("correlation_id").asText();
        assertTrue(correlationId.matches("[0-9a-f]{32}"), "a trace id: " + error);

        ReceivedSpan turn = awaitTurn(error.path("run_id").asText(), 4);
        assertEquals(correlationId, turn.traceId(), "the error's correlation id names the turn's trace");
        assertTrue(turn.error(), turn.toString());
        assertEquals("LLM_UNAVAILABLE", turn.attribute("error.type"), turn.toString());
        assertTrue(turn.events().stream().anyMatch(e -> e.name().equals("agent_error")
                && "LLM_UNAVAILABLE".equals(e.attributes().get("candor.error.code"))), turn.toString());
        ReceivedSpan call = inTrace(turn.traceId()).stream().filter(s -> s.name().equals("chat stub-model"))
                .findFirst().orElseThrow();
        assertTrue(call.error(), call.toString());
        assertEquals("LLM_UNAVAILABLE", call.attribute("error.type"), call.toString());
        assertTrue(log.lines().stream().anyMatch(l -> l.contains("trace=" + correlationId + " span=" + call.spanId())
                && l.contains("[" + correlationId + "] LLM provider failure")), "the log line names the trace and "
                + "the model call's span: " + log.lines());
    }

    @Test
    void theBootInitializationIsOneSpanWithAChildPerPhase() {
        assertTrue(Eventually.within(EXPORT, () -> initialization().isPresent()), "no initialization span: "
                + RECEIVER.spans() + RECEIVER.problems());
        ReceivedSpan attempt = initialization().orElseThrow();
        assertEquals("ready", attempt.attribute("candor.init.outcome"), attempt.toString());
        assertEquals("1", attempt.attribute("candor.init.attempt"), attempt.toString());

        List<ReceivedSpan> phases = inTrace(attempt.traceId()).stream()
                .filter(s -> s.parentSpanId().equals(attempt.spanId())).toList();
        assertEquals(7, phases.size(), phases.toString());
        assertEquals(Set.of("dependencies", "database", "cache", "services", "websocket", "validation", "finalize"),
                phases.stream().map(p -> p.attribute("candor.phase")).collect(Collectors.toSet()), phases.toString());
        for (ReceivedSpan phase : phases) {
            assertEquals("phase " + phase.attribute("candor.phase"), phase.name());
            assertEquals("succeeded", phase.attribute("candor.phase.outcome"), phase.toString());
        }
    }

    /** The turn span of run {@code runId}, once it and at least {@code spans} spans of its trace arrived. */
    private static ReceivedSpan awaitTurn(String runId, int spans) {
        assertTrue(Eventually.within(EXPORT, () -> turnOf(runId).map(t -> inTrace(t.traceId()).size() >= spans)
                .orElse(false)), "the spans of run " + runId + " did not arrive: " + RECEIVER.spans()
                + RECEIVER.problems());
        return turnOf(runId).orElseThrow();
    }

    private static Optional<ReceivedSpan> turnOf(String runId) {
        return RECEIVER.spans().stream().filter(s -> s.name().equals("user_message")
                && runId.equals(s.attribute("candor.run.id"))).findFirst();
    }

    private static Optional<ReceivedSpan> initialization() {
        return RECEIVER.spans().stream().filter(s -> s.name().equals("initialization")).findFirst();
    }

    private static List<ReceivedSpan> inTrace(String traceId) {
        return RECEIVER.spans().stream().filter(s -> s.traceId().equals(traceId)).toList();
    }

}
