package dev.candor.interfaces.websocket.protocol;

import dev.candor.application.ErrorCode;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParsingException;
import java.io.StringReader;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;

/** The one JSON codec of the chat protocol (JSON-P): client text to {@link ClientFrame}, {@link ServerFrame} to text. */
public final class FrameCodec {

    private static final Set<String> KNOWN = Set.of("user_message", "stop_run", "resume", "ping");

    private final Clock clock;

    public FrameCodec(Clock clock) {
        this.clock = clock;
    }

    public String encode(ServerFrame frame) {
        JsonObjectBuilder envelope = Jsonp.PROVIDER.createObjectBuilder().add("type", frame.type())
                .add("payload", frame.payload())
                .add("timestamp", (frame.timestamp() != null ? frame.timestamp() : Instant.now(clock)).toString());
        if (frame instanceof ServerFrame.RunEvent run) {
            envelope.add("run_id", run.event().runId()).add("thread_id", run.event().threadId())
                    .add("seq", run.event().seq());
        }
        return envelope.build().toString();
    }

    /** Decodes and validates one text frame, or throws a {@link FrameException} with the code to answer. */
    public ClientFrame decode(String text) {
        JsonValue value = parse(text);
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw invalid("a frame must be a JSON object with a string field 'type'");
        }
        JsonObject frame = value.asJsonObject();
        if (!(frame.get("type") instanceof JsonString typeValue)) {
            throw invalid("a frame needs a string field 'type'");
        }
        String type = typeValue.getString();
        if (!KNOWN.contains(type)) {
            throw new FrameException(ErrorCode.UNKNOWN_TYPE, "unknown frame type '" + abbreviate(type)
                    + "'; expected one of user_message, stop_run, resume, ping");
        }
        JsonValue payloadValue = frame.getOrDefault("payload", JsonValue.EMPTY_JSON_OBJECT);
        if (payloadValue.getValueType() != JsonValue.ValueType.OBJECT) {
            throw invalid("'payload' must be an object");
        }
        JsonObject payload = payloadValue.asJsonObject();
        return switch (type) {
            case "user_message" -> userMessage(payload);
            case "stop_run" -> new ClientFrame.StopRun(requiredId(payload, "run_id"));
            case "resume" -> new ClientFrame.Resume(requiredId(payload, "run_id"), afterSeq(payload));
            default -> new ClientFrame.Ping();
        };
    }

    /** Exactly one JSON value, with nothing but white space after it. */
    private static JsonValue parse(String text) {
        try (JsonParser parser = Jsonp.PROVIDER.createParser(new StringReader(text))) {
            if (!parser.hasNext()) {
                throw new FrameException(ErrorCode.INVALID_JSON, "the frame is empty");
            }
            parser.next();
            JsonValue value = parser.getValue();
            if (parser.hasNext()) {
                throw new FrameException(ErrorCode.INVALID_JSON, "the frame has more than one JSON value");
            }
            return value;
        } catch (JsonParsingException e) {
            throw new FrameException(ErrorCode.INVALID_JSON, "the frame is not valid JSON: " + e.getMessage());
        } catch (JsonException | IllegalStateException | java.util.NoSuchElementException e) {
            throw new FrameException(ErrorCode.INVALID_JSON, "the frame is not valid JSON");
        }
    }

    private static ClientFrame.UserMessage userMessage(JsonObject payload) {
        if (!(payload.get("content") instanceof JsonString content)) {
            throw invalid("user_message needs a string 'content'");
        }
        String text = content.getString();
        if (text.isBlank()) {
            throw invalid("user_message 'content' is empty");
        }
        if (text.length() > ClientFrame.MAX_CONTENT) {
            throw invalid("user_message 'content' has " + text.length() + " characters; at most "
                    + ClientFrame.MAX_CONTENT + " are allowed");
        }
        return new ClientFrame.UserMessage(text, optionalId(payload, "thread_id"),
                optionalId(payload, "client_message_id"));
    }

    private static long afterSeq(JsonObject payload) {
        JsonValue value = payload.get("after_seq");
        if (value == null || value == JsonValue.NULL) {
            return 0;
        }
        if (!(value instanceof JsonNumber number) || !number.isIntegral() || number.longValue() < 0) {
            throw invalid("resume 'after_seq' must be a whole number >= 0");
        }
        return number.longValue();
    }

    private static String requiredId(JsonObject payload, String field) {
        String id = optionalId(payload, field);
        if (id == null) {
            throw invalid("'" + field + "' is required");
        }
        return id;
    }

    private static String optionalId(JsonObject payload, String field) {
        JsonValue value = payload.get(field);
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (!(value instanceof JsonString string) || string.getString().isBlank()) {
            throw invalid("'" + field + "' must be a non-empty string");
        }
        if (string.getString().length() > ClientFrame.MAX_ID) {
            throw invalid("'" + field + "' is longer than " + ClientFrame.MAX_ID + " characters");
        }
        return string.getString();
    }

    private static FrameException invalid(String message) {
        return new FrameException(ErrorCode.INVALID_MESSAGE, message);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
