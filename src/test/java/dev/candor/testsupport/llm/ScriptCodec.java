package dev.candor.testsupport.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * The one JSON form of a {@link Script}, used by the control API ({@code POST /_stub/scripts}) and by
 * {@link LlmStubControl}. A script is a JSON array of one-key objects, played in order:
 *
 * <pre>
 * {"text": "Hel"}                                   one streamed text delta
 * {"tokens": 3}                                     (input only) text deltas "t0 ", "t1 ", "t2 "
 * {"delay_ms": 20}                                  pause before the next event
 * {"tool_call": {"id": "c1", "name": "current_time",
 *                "arguments": "{\"zone\":\"UTC\"}",  argument text (a JSON object is accepted too)
 *                "chunks": 2}}                      optional, default 2
 * {"http_error": {"status": 429, "body": "Slow down", "retry_after": 1}}   retry_after optional; only step
 * {"abort": true}                                   close the connection abruptly (last step)
 * {"stream_error": "boom"}                          provider error event, then end (last step)
 * {"stall": true}                                   send nothing more (last step)
 * {"every_ms": 10}                                  property: pause between content events
 * {"finish_reason": "length"}                       property: finish reason override
 * {"usage": {"input_tokens": 12, "output_tokens": 3}}   property: usage override
 * </pre>
 */
public final class ScriptCodec {

    private ScriptCodec() {}

    /** Encodes a script as its JSON step array. */
    public static String toJson(Script script) {
        return StubJson.write(toNode(script));
    }

    /** Decodes a JSON step array; throws {@link IllegalArgumentException} when it is not a valid script. */
    public static Script fromJson(String json) {
        return fromNode(StubJson.parse(json));
    }

    static ArrayNode toNode(Script script) {
        ArrayNode array = StubJson.array();
        for (Script.Step step : script.steps()) {
            array.add(stepNode(step));
        }
        if (script.everyMs() > 0) {
            array.addObject().put("every_ms", script.everyMs());
        }
        if (script.finishReason() != null) {
            array.addObject().put("finish_reason", script.finishReason());
        }
        if (script.usage() != null) {
            array.addObject().putObject("usage")
                    .put("input_tokens", script.usage().inputTokens())
                    .put("output_tokens", script.usage().outputTokens());
        }
        return array;
    }

    private static ObjectNode stepNode(Script.Step step) {
        ObjectNode node = StubJson.object();
        if (step instanceof Script.Text text) {
            node.put("text", text.piece());
        } else if (step instanceof Script.Delay delay) {
            node.put("delay_ms", delay.millis());
        } else if (step instanceof Script.ToolCall call) {
            node.putObject("tool_call")
                    .put("id", call.id())
                    .put("name", call.name())
                    .put("arguments", call.arguments())
                    .put("chunks", call.chunks());
        } else if (step instanceof Script.HttpError error) {
            ObjectNode body = node.putObject("http_error").put("status", error.status()).put("body", error.body());
            if (error.retryAfterSeconds() != null) {
                body.put("retry_after", error.retryAfterSeconds());
            }
        } else if (step instanceof Script.Abort) {
            node.put("abort", true);
        } else if (step instanceof Script.StreamError error) {
            node.put("stream_error", error.message());
        } else if (step instanceof Script.Stall) {
            node.put("stall", true);
        } else {
            throw new IllegalStateException("unknown step " + step);
        }
        return node;
    }

    static Script fromNode(JsonNode node) {
        if (node == null || !node.isArray()) {
            throw new IllegalArgumentException("a script is a JSON array of steps");
        }
        Script script = Script.empty();
        for (JsonNode element : node) {
            if (!element.isObject() || element.size() != 1) {
                throw new IllegalArgumentException("a script step is an object with exactly one key: " + element);
            }
            Map.Entry<String, JsonNode> entry = element.properties().iterator().next();
            script = apply(script, entry.getKey(), entry.getValue());
        }
        return script;
    }

    private static Script apply(Script script, String key, JsonNode value) {
        switch (key) {
            case "text":
                return script.text(requireText(value, key));
            case "tokens":
                return script.tokens(requireInt(value, key));
            case "delay_ms":
                return script.delayMs(requireLong(value, key));
            case "tool_call": {
                JsonNode arguments = required(value, "arguments");
                String argumentText = arguments.isTextual() ? arguments.asText() : StubJson.write(arguments);
                int chunks = value.has("chunks") ? requireInt(value.get("chunks"), "chunks") : 2;
                return script.toolCall(
                        requireText(required(value, "id"), "id"),
                        requireText(required(value, "name"), "name"),
                        argumentText,
                        chunks);
            }
            case "http_error": {
                JsonNode retryAfter = value.get("retry_after");
                return script.httpError(
                        requireInt(required(value, "status"), "status"),
                        value.has("body") ? requireText(value.get("body"), "body") : "",
                        retryAfter == null || retryAfter.isNull() ? null : requireInt(retryAfter, "retry_after"));
            }
            case "abort":
                return requireTrue(value, key) ? script.abortConnection() : script;
            case "stream_error":
                return script.streamError(requireText(value, key));
            case "stall":
                return requireTrue(value, key) ? script.stall() : script;
            case "every_ms":
                return script.everyMs(requireLong(value, key));
            case "finish_reason":
                return script.finishReason(requireText(value, key));
            case "usage":
                return script.usage(
                        requireInt(required(value, "input_tokens"), "input_tokens"),
                        requireInt(required(value, "output_tokens"), "output_tokens"));
            default:
                throw new IllegalArgumentException("unknown script step '" + key + "'");
        }
    }

    private static JsonNode required(JsonNode object, String field) {
        JsonNode value = object == null ? null : object.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("missing '" + field + "' in " + object);
        }
        return value;
    }

    private static String requireText(JsonNode value, String field) {
        if (!value.isTextual()) {
            throw new IllegalArgumentException("'" + field + "' must be a string: " + value);
        }
        return value.asText();
    }

    private static int requireInt(JsonNode value, String field) {
        if (!value.canConvertToInt() || !value.isIntegralNumber()) {
            throw new IllegalArgumentException("'" + field + "' must be an integer: " + value);
        }
        return value.intValue();
    }

    private static long requireLong(JsonNode value, String field) {
        if (!value.isIntegralNumber()) {
            throw new IllegalArgumentException("'" + field + "' must be an integer: " + value);
        }
        return value.longValue();
    }

    private static boolean requireTrue(JsonNode value, String field) {
        if (!value.isBoolean()) {
            throw new IllegalArgumentException("'" + field + "' must be true or false: " + value);
        }
        return value.booleanValue();
    }
}
