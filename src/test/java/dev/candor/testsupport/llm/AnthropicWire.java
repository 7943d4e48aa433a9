package dev.candor.testsupport.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;

/**
 * The Anthropic Messages wire format ({@code /v1/models}, {@code /v1/messages}, streaming as named events
 * {@code message_start, content_block_start/delta/stop, message_delta, message_stop}, errors as
 * {@code event: error}).
 */
final class AnthropicWire implements ProviderWire {

    static final String MODEL = "stub-claude";

    private static final Map<String, String> FROM_OPENAI = Map.of(
            "stop", "end_turn",
            "length", "max_tokens",
            "tool_calls", "tool_use",
            "content_filter", "refusal");

    @Override
    public String defaultModel() {
        return MODEL;
    }

    @Override
    public boolean authorized(RecordedRequest request, String expectedKey) {
        return expectedKey == null || expectedKey.equals(request.header("x-api-key"));
    }

    @Override
    public String modelsJson() {
        ObjectNode root = StubJson.object();
        root.putArray("data").addObject()
                .put("type", "model")
                .put("id", MODEL)
                .put("display_name", "Stub")
                .put("created_at", "2025-01-01T00:00:00Z");
        root.put("has_more", false).put("first_id", MODEL).put("last_id", MODEL);
        return StubJson.write(root);
    }

    @Override
    public String errorJson(int status, String message) {
        if (message.startsWith("{")) {
            return message;
        }
        String type = switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 529 -> "overloaded_error";
            default -> status >= 500 ? "api_error" : "invalid_request_error";
        };
        return errorBody(type, message);
    }

    private static String errorBody(String type, String message) {
        ObjectNode root = StubJson.object().put("type", "error");
        root.putObject("error").put("type", type).put("message", message);
        return StubJson.write(root);
    }

    @Override
    public String finishReason(Script script) {
        if (script.finishReason() != null) {
            return FROM_OPENAI.getOrDefault(script.finishReason(), script.finishReason());
        }
        return script.toolCalls().isEmpty() ? "end_turn" : "tool_use";
    }

    @Override
    public String completionJson(Turn turn, Script script) {
        ObjectNode root = StubJson.object()
                .put("id", messageId(turn))
                .put("type", "message")
                .put("role", "assistant")
                .put("model", turn.model());
        ArrayNode content = root.putArray("content");
        if (!script.fullText().isEmpty()) {
            content.addObject().put("type", "text").put("text", script.fullText());
        }
        for (Script.ToolCall call : script.toolCalls()) {
            content.addObject()
                    .put("type", "tool_use")
                    .put("id", call.id())
                    .put("name", call.name())
                    .set("input", toolInput(call.arguments()));
        }
        root.put("stop_reason", turn.finishReason()).putNull("stop_sequence");
        root.putObject("usage").put("input_tokens", turn.inputTokens()).put("output_tokens", turn.outputTokens());
        return StubJson.write(root);
    }

    /** Anthropic's tool input is a JSON object; arguments that are no JSON object are passed as a string. */
    private static JsonNode toolInput(String arguments) {
        JsonNode parsed = StubJson.parseOrNull(arguments);
        if (parsed != null && parsed.isObject()) {
            return parsed;
        }
        return arguments.isBlank() ? StubJson.object() : StubJson.MAPPER.getNodeFactory().textNode(arguments);
    }

    private static String messageId(Turn turn) {
        return "msg_stub" + turn.sequence();
    }

    @Override
    public Stream stream(Turn turn, SseWriter out) {
        return new Stream() {
            private int blockIndex = -1;
            private boolean textBlockOpen;

            @Override
            public void start() throws IOException {
                ObjectNode message = StubJson.object()
                        .put("id", messageId(turn))
                        .put("type", "message")
                        .put("role", "assistant")
                        .put("model", turn.model());
                message.putArray("content");
                message.putNull("stop_reason").putNull("stop_sequence");
                message.putObject("usage").put("input_tokens", turn.inputTokens()).put("output_tokens", 1);
                ObjectNode root = StubJson.object().put("type", "message_start");
                root.set("message", message);
                send("message_start", root);
                send("ping", StubJson.object().put("type", "ping"));
            }

            @Override
            public void text(String piece) throws IOException {
                if (!textBlockOpen) {
                    blockIndex++;
                    ObjectNode start = StubJson.object().put("type", "content_block_start").put("index", blockIndex);
                    start.putObject("content_block").put("type", "text").put("text", "");
                    send("content_block_start", start);
                    textBlockOpen = true;
                }
                ObjectNode delta = StubJson.object().put("type", "content_block_delta").put("index", blockIndex);
                delta.putObject("delta").put("type", "text_delta").put("text", piece);
                send("content_block_delta", delta);
            }

            @Override
            public void toolCall(Script.ToolCall call) throws IOException {
                closeTextBlock();
                blockIndex++;
                ObjectNode start = StubJson.object().put("type", "content_block_start").put("index", blockIndex);
                start.putObject("content_block")
                        .put("type", "tool_use")
                        .put("id", call.id())
                        .put("name", call.name())
                        .putObject("input");
                send("content_block_start", start);
                for (String piece : call.argumentChunks()) {
                    if (piece.isEmpty()) {
                        continue;
                    }
                    ObjectNode delta = StubJson.object().put("type", "content_block_delta").put("index", blockIndex);
                    delta.putObject("delta").put("type", "input_json_delta").put("partial_json", piece);
                    send("content_block_delta", delta);
                }
                stopBlock();
            }

            @Override
            public void finish() throws IOException {
                closeTextBlock();
                ObjectNode delta = StubJson.object().put("type", "message_delta");
                delta.putObject("delta").put("stop_reason", turn.finishReason()).putNull("stop_sequence");
                delta.putObject("usage").put("output_tokens", turn.outputTokens());
                send("message_delta", delta);
                send("message_stop", StubJson.object().put("type", "message_stop"));
            }

            @Override
            public void error(String message) throws IOException {
                out.event("error", errorBody("api_error", message));
            }

            private void closeTextBlock() throws IOException {
                if (textBlockOpen) {
                    stopBlock();
                    textBlockOpen = false;
                }
            }

            private void stopBlock() throws IOException {
                ObjectNode stop = StubJson.object().put("type", "content_block_stop").put("index", blockIndex);
                send("content_block_stop", stop);
            }

            private void send(String event, ObjectNode data) throws IOException {
                out.event(event, StubJson.write(data));
            }
        };
    }
}
