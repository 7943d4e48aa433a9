package dev.candor.testsupport.llm;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;

/**
 * The OpenAI Chat Completions wire format ({@code /v1/models}, {@code /v1/chat/completions}, streaming as
 * {@code chat.completion.chunk} server-sent events terminated by {@code data: [DONE]}).
 */
final class OpenAiWire implements ProviderWire {

    static final String MODEL = "stub-model";

    private static final Map<String, String> FROM_ANTHROPIC = Map.of(
            "end_turn", "stop",
            "stop_sequence", "stop",
            "max_tokens", "length",
            "tool_use", "tool_calls",
            "refusal", "content_filter");

    @Override
    public String defaultModel() {
        return MODEL;
    }

    @Override
    public boolean authorized(RecordedRequest request, String expectedKey) {
        return expectedKey == null || ("Bearer " + expectedKey).equals(request.header("authorization"));
    }

    @Override
    public String modelsJson() {
        ObjectNode root = StubJson.object().put("object", "list");
        root.putArray("data").addObject()
                .put("id", MODEL)
                .put("object", "model")
                .put("created", 1_700_000_000L)
                .put("owned_by", "candor-test");
        return StubJson.write(root);
    }

    @Override
    public String errorJson(int status, String message) {
        if (message.startsWith("{")) {
            return message;
        }
        String type;
        String code;
        switch (status) {
            case 401 -> { type = "invalid_request_error"; code = "invalid_api_key"; }
            case 403 -> { type = "invalid_request_error"; code = "unsupported_country_region_territory"; }
            case 404 -> { type = "invalid_request_error"; code = "model_not_found"; }
            case 429 -> { type = "requests"; code = "rate_limit_exceeded"; }
            default -> {
                type = status >= 500 ? "server_error" : "invalid_request_error";
                code = null;
            }
        }
        ObjectNode error = StubJson.object();
        error.putObject("error")
                .put("message", message)
                .put("type", type)
                .putNull("param")
                .put("code", code);
        return StubJson.write(error);
    }

    @Override
    public String finishReason(Script script) {
        if (script.finishReason() != null) {
            return FROM_ANTHROPIC.getOrDefault(script.finishReason(), script.finishReason());
        }
        return script.toolCalls().isEmpty() ? "stop" : "tool_calls";
    }

    @Override
    public String completionJson(Turn turn, Script script) {
        ObjectNode root = header(turn, "chat.completion");
        ObjectNode choice = root.putArray("choices").addObject().put("index", 0);
        ObjectNode message = choice.putObject("message").put("role", "assistant");
        String text = script.fullText();
        if (text.isEmpty() && !script.toolCalls().isEmpty()) {
            message.putNull("content");
        } else {
            message.put("content", text);
        }
        if (!script.toolCalls().isEmpty()) {
            ArrayNode calls = message.putArray("tool_calls");
            for (Script.ToolCall call : script.toolCalls()) {
                calls.addObject()
                        .put("id", call.id())
                        .put("type", "function")
                        .putObject("function")
                        .put("name", call.name())
                        .put("arguments", call.arguments());
            }
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", turn.finishReason());
        putUsage(root, turn);
        return StubJson.write(root);
    }

    @Override
    public Stream stream(Turn turn, SseWriter out) {
        return new Stream() {
            private int toolIndex;

            @Override
            public void start() throws IOException {
                ObjectNode delta = StubJson.object().put("role", "assistant").put("content", "");
                chunk(delta, null);
            }

            @Override
            public void text(String piece) throws IOException {
                chunk(StubJson.object().put("content", piece), null);
            }

            @Override
            public void toolCall(Script.ToolCall call) throws IOException {
                int index = toolIndex++;
                ObjectNode first = StubJson.object();
                first.putArray("tool_calls").addObject()
                        .put("index", index)
                        .put("id", call.id())
                        .put("type", "function")
                        .putObject("function")
                        .put("name", call.name())
                        .put("arguments", "");
                chunk(first, null);
                for (String piece : call.argumentChunks()) {
                    ObjectNode delta = StubJson.object();
                    delta.putArray("tool_calls").addObject()
                            .put("index", index)
                            .putObject("function")
                            .put("arguments", piece);
                    chunk(delta, null);
                }
            }

            @Override
            public void finish() throws IOException {
                chunk(StubJson.object(), turn.finishReason());
                if (turn.request().path("stream_options").path("include_usage").asBoolean(false)) {
                    ObjectNode usage = header(turn, "chat.completion.chunk");
                    usage.putArray("choices");
                    putUsage(usage, turn);
                    out.event(null, StubJson.write(usage));
                }
                out.event(null, "[DONE]");
            }

            @Override
            public void error(String message) throws IOException {
                // LangChain4j 1.19 reports an error only for an event named "error"; the data is OpenAI's error shape.
                ObjectNode error = StubJson.object();
                error.putObject("error")
                        .put("message", message)
                        .put("type", "server_error")
                        .putNull("param")
                        .putNull("code");
                out.event("error", StubJson.write(error));
            }

            private void chunk(ObjectNode delta, String finishReason) throws IOException {
                ObjectNode root = header(turn, "chat.completion.chunk");
                ObjectNode choice = root.putArray("choices").addObject().put("index", 0);
                choice.set("delta", delta);
                choice.putNull("logprobs");
                choice.put("finish_reason", finishReason);
                out.event(null, StubJson.write(root));
            }
        };
    }

    private static ObjectNode header(Turn turn, String object) {
        return StubJson.object()
                .put("id", "chatcmpl-stub" + turn.sequence())
                .put("object", object)
                .put("created", turn.created())
                .put("model", turn.model())
                .put("system_fingerprint", "fp_candor_stub");
    }

    private static void putUsage(ObjectNode root, Turn turn) {
        root.putObject("usage")
                .put("prompt_tokens", turn.inputTokens())
                .put("completion_tokens", turn.outputTokens())
                .put("total_tokens", turn.inputTokens() + turn.outputTokens());
    }
}
