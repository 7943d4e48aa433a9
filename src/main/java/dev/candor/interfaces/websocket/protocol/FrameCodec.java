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
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/** The one JSON codec of the chat protocol (JSON-P): client text to {@link ClientFrame}, {@link ServerFrame} to text. */
public final class FrameCodec {

    private static final Logger LOG = Logger.getLogger(FrameCodec.class.getName());
    private static final Set<String> KNOWN = Set.of("user_message", "stop_run", "resume", "ping", "reauthenticate",
            "tool_approval");

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

    /** The text of an encoded {@code agent_delta} frame (as stored in a run's stream); empty for any other frame. */
    public Optional<String> deltaText(String frame) {
        try (var reader = Jsonp.PROVIDER.createReader(new StringReader(frame))) {
            JsonObject json = reader.readObject();
            return "agent_delta".equals(json.getString("type", null))
                    ? Optional.of(json.getJsonObject("payload").getString("text"))
                    : Optional.empty();
        }
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
            throw new FrameException(ErrorCode.UNKNOWN_TYPE, "unknown frame type '" + abbreviate(type, 40)
                    + "'; expected one of user_message, stop_run, resume, ping, reauthenticate, tool_approval");
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
            case "reauthenticate" -> reauthenticate(payload);
            case "tool_approval" -> new ClientFrame.ToolApproval(requiredId(payload, "run_id"),
                    requiredId(payload, "call_id"), approved(payload));
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
        } catch (FrameException e) {
            throw e;
        } catch (JsonParsingException e) {
            throw new FrameException(ErrorCode.INVALID_JSON, "the frame is not valid JSON: " + e.getMessage());
        } catch (JsonException | IllegalStateException | java.util.NoSuchElementException e) {
            throw new FrameException(ErrorCode.INVALID_JSON, "the frame is not valid JSON");
        } catch (RuntimeException e) {
            // The parser refuses some input with other exceptions: its nesting limit is a bare RuntimeException
            // ("Input is too deeply nested 1,000"), a number whose exponent does not fit is a NumberFormatException.
            // Either way the frame is at fault: one line for the operator, no stack trace, and the parser's message
            // (which may quote the frame) only at FINE: no message content in the log at INFO.
            LOG.info(() -> "rejected a frame the JSON parser refused: " + e.getClass().getName());
            LOG.fine(() -> "the parser's refusal: " + e);
            throw new FrameException(ErrorCode.INVALID_JSON, "the frame could not be parsed as JSON: "
                    + abbreviate(String.valueOf(e.getMessage()), 100));
        }
    }

    private static ClientFrame.Reauthenticate reauthenticate(JsonObject payload) {
        if (!(payload.get("token") instanceof JsonString token) || token.getString().isBlank()) {
            throw invalid("reauthenticate needs a string 'token'");
        }
        if (token.getString().length() > ClientFrame.MAX_TOKEN) {
            throw invalid("'token' is longer than " + ClientFrame.MAX_TOKEN + " characters");
        }
        return new ClientFrame.Reauthenticate(token.getString());
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
        requireStorableText("content", text);
        return new ClientFrame.UserMessage(text, optionalId(payload, "thread_id"),
                optionalId(payload, "client_message_id"));
    }

    /**
     * Text that every database stores as it came: PostgreSQL refuses U+0000 in text, and a UTF-16 surrogate without its
     * partner has no UTF-8 form (it would be stored as '?'). Such text is refused here, the same on every database.
     */
    private static void requireStorableText(String field, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                throw invalid("'" + field + "' must not contain the NUL character (U+0000)");
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw invalid("'" + field + "' holds an unpaired UTF-16 surrogate (U+" + Integer.toHexString(c)
                        .toUpperCase(java.util.Locale.ROOT) + ") at character " + i + "; send valid Unicode text");
            }
        }
    }

    private static long afterSeq(JsonObject payload) {
        JsonValue value = payload.get("after_seq");
        if (value == null || value == JsonValue.NULL) {
            return 0;
        }
        if (!(value instanceof JsonNumber number) || !number.isIntegral() || number.bigDecimalValue().signum() < 0) {
            throw invalid("resume 'after_seq' must be a whole number >= 0");
        }
        try {
            return number.longValueExact();
        } catch (ArithmeticException e) {
            throw invalid("resume 'after_seq' is larger than " + Long.MAX_VALUE);
        }
    }

    private static boolean approved(JsonObject payload) {
        JsonValue value = payload.get("approved");
        if (value != JsonValue.TRUE && value != JsonValue.FALSE) {
            throw invalid("tool_approval 'approved' must be true or false");
        }
        return value == JsonValue.TRUE;
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
        requireStorableText(field, string.getString());
        return string.getString();
    }

    private static FrameException invalid(String message) {
        return new FrameException(ErrorCode.INVALID_MESSAGE, message);
    }

    private static String abbreviate(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max; // never cut a pair in two
        return s.substring(0, end) + "...";
    }
}
