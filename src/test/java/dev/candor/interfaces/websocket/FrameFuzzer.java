package dev.candor.interfaces.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

/**
 * Mutated and random client frames from a seeded {@link Random}: one seed, the same frames in the same order. Starts
 * from valid {@code user_message} (to a thread that does not exist), {@code stop_run}, {@code resume} and {@code ping}
 * frames and breaks them the ways a confused or hostile client would. Every frame is valid UTF-16 (a lone surrogate
 * travels only as a JSON escape), so the client can always send it: invalid UTF-8 closes a socket by contract.
 */
final class FrameFuzzer {

    /** A frame to send and the name of what was done to it. */
    record Frame(String kind, String text) {
    }


    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    // Private-use stand-ins, replaced by JSON escapes once the frame is text: Jackson would write a lone surrogate raw.
    private static final char NUL_ESCAPE = '\uE000';
    private static final List<String> ESCAPES = List.of("\\u0000", "\\ud800", "\\udfff", "\\udc00\\ud800",
            "\\ud83d", "\\ud83d\\ude00");
    private static final String[] HUGE_NUMBERS = {"1e400", "-1e400", "123456789012345678901234567890",
            "9223372036854775807", "9223372036854775808", "18446744073709551617", "1e2147483648", "-1e2147483648",
            "1e-2147483649", "-0", "1.5e-400", "0.0000001", "1" + "0".repeat(400), "1E+2", "2.0"};
    private static final String SIGNIFICANT = "{}[]\":,\\ \t\n0-9.eEtrufalsn";
    private static final String[] TYPES = {"user_message", "stop_run", "resume", "ping"};
    private static final String[] FIELDS = {"content", "thread_id", "client_message_id", "run_id", "after_seq"};

    private final Random random;
    private final String name;
    private final String ghostThread;
    private int count;

    /**
     * @param name names this fuzzer's client_message_ids and its ghost thread: a thread id that never exists, so that
     *             most well-formed user_messages get THREAD_NOT_FOUND rather than start a run. One per fuzzer, so
     *             that fuzzers on other sockets never hold it (THREAD_BUSY) and the answers depend on the seed alone.
     */
    FrameFuzzer(long seed, String name) {
        this.random = new Random(seed);
        this.name = name;
        this.ghostThread = "ghost-thread-" + name;
    }

    Frame next() {
        count++;
        int pick = random.nextInt(100);
        if (pick < 5) {
            return frame("valid", base());
        } else if (pick < 17) {
            return new Frame("char-flip", flipChars(text(base())));
        } else if (pick < 25) {
            String text = text(base());
            return new Frame("truncate", text.substring(0, random.nextInt(text.length())));
        } else if (pick < 33) {
            return new Frame("splice", splice(text(base())));
        } else if (pick < 41) {
            ObjectNode frame = base();
            frame.set("type", typeValue());
            return frame("type-swap", frame);
        } else if (pick < 51) {
            return frame("wrong-field-type", withField(base(), randomValue()));
        } else if (pick < 57) {
            return frame("missing-field", withoutField(base()));
        } else if (pick < 63) {
            return hugeNumber();
        } else if (pick < 68) {
            return deepNesting();
        } else if (pick < 76) {
            return nul();
        } else if (pick < 84) {
            return frame("surrogate", targeted(NODES.textNode(word() + escape(1 + random.nextInt(5)) + word())));
        } else if (pick < 90) {
            return frame("unicode", targeted(NODES.textNode(unicode(1 + random.nextInt(40)))));
        } else if (pick < 94) {
            return frame("length-edge", targeted(NODES.textNode(lengthEdge())));
        } else {
            return garbage();
        }
    }

    // ---- valid starting points ------------------------------------------------------------------------------------

    private ObjectNode base() {
        return base(TYPES[random.nextInt(TYPES.length)]);
    }

    private ObjectNode base(String type) {
        ObjectNode frame = NODES.objectNode();
        ObjectNode payload = NODES.objectNode();
        switch (type) {
            case "user_message" -> {
                frame.put("type", "user_message");
                payload.put("content", "fuzz " + word()).put("thread_id", ghostThread)
                        .put("client_message_id", name + "-" + count);
            }
            case "stop_run" -> {
                frame.put("type", "stop_run");
                payload.put("run_id", uuid());
            }
            case "resume" -> {
                frame.put("type", "resume");
                payload.put("run_id", uuid()).put("after_seq", random.nextInt(100));
            }
            default -> frame.put("type", "ping");
        }
        return random.nextInt(4) == 0 && payload.isEmpty() ? frame : frame.set("payload", payload);
    }

    // ---- mutations ------------------------------------------------------------------------------------------------

    /**
     * A user_message, stop_run or resume with {@code value} in one of the string fields it reads. A new
     * {@code content} goes to a new thread now and then, so that such text reaches the database.
     */
    private ObjectNode targeted(JsonNode value) {
        ObjectNode frame = base(TYPES[random.nextInt(TYPES.length - 1)]);
        ObjectNode payload = (ObjectNode) frame.get("payload");
        if (!"user_message".equals(frame.path("type").asText())) {
            payload.set("run_id", value);
            return frame;
        }
        String field = FIELDS[random.nextInt(3)];
        payload.set(field, value);
        if ("content".equals(field) && random.nextInt(4) == 0) {
            payload.remove("thread_id");
        }
        return frame;
    }

    /** Sets one field (a payload field, or now and then the payload itself) to {@code value}. */
    private ObjectNode withField(ObjectNode frame, JsonNode value) {
        if (random.nextInt(10) == 0) {
            frame.set("payload", value);
            return frame;
        }
        ObjectNode payload = frame.get("payload") instanceof ObjectNode p ? p : frame.putObject("payload");
        payload.set(FIELDS[random.nextInt(FIELDS.length)], value);
        return frame;
    }

    private ObjectNode withoutField(ObjectNode frame) {
        int which = random.nextInt(FIELDS.length + 2);
        if (which == FIELDS.length) {
            frame.remove("type");
        } else if (which == FIELDS.length + 1) {
            frame.remove("payload");
        } else if (frame.get("payload") instanceof ObjectNode payload) {
            payload.remove(FIELDS[which]);
        }
        return frame;
    }

    private String flipChars(String text) {
        StringBuilder out = new StringBuilder(text);
        for (int i = 1 + random.nextInt(3); i > 0; i--) {
            int at = random.nextInt(out.length());
            out.setCharAt(at, (char) (out.charAt(at) ^ (1 << random.nextInt(7))));
        }
        return validUtf16(out.toString());
    }

    private String splice(String text) {
        StringBuilder out = new StringBuilder(text);
        for (int i = 1 + random.nextInt(4); i > 0; i--) {
            int at = random.nextInt(out.length() + 1);
            if (random.nextBoolean() && at < out.length()) {
                out.delete(at, Math.min(out.length(), at + 1 + random.nextInt(6)));
            } else {
                out.insert(at, SIGNIFICANT.charAt(random.nextInt(SIGNIFICANT.length())));
            }
        }
        return validUtf16(out.toString());
    }

    private Frame hugeNumber() {
        String number = HUGE_NUMBERS[random.nextInt(HUGE_NUMBERS.length)];
        String marker = "\uE0FF";
        ObjectNode frame = random.nextBoolean() ? resume() : withField(base(), NODES.textNode(marker));
        if (frame.path("payload").has("after_seq")) {
            ((ObjectNode) frame.get("payload")).put("after_seq", marker);
        }
        return new Frame("huge-number", text(frame).replace("\"" + marker + "\"", number));
    }

    private Frame deepNesting() {
        int[] depths = {50, 998, 999, 1000, 1001, 5000, 30_000, 40_000};
        int depth = depths[random.nextInt(depths.length)];
        boolean arrays = random.nextBoolean();
        String deep = arrays ? "[".repeat(depth) + "]".repeat(depth) : "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
        String marker = "\uE0FE";
        String text = text(withField(base(), NODES.textNode(marker)));
        return new Frame("deep-nesting", random.nextInt(5) == 0 ? deep : text.replace("\"" + marker + "\"", deep));
    }

    private Frame nul() {
        if (random.nextInt(4) == 0) { // a raw NUL is not valid JSON at all
            String text = text(base());
            int at = random.nextInt(text.length() + 1);
            return new Frame("nul", text.substring(0, at) + '\0' + text.substring(at));
        }
        if (random.nextInt(6) == 0) {
            ObjectNode frame = base();
            frame.put("type", frame.path("type").asText() + NUL_ESCAPE);
            return frame("nul", frame);
        }
        return frame("nul", targeted(NODES.textNode(word() + NUL_ESCAPE + word())));
    }

    private Frame garbage() {
        StringBuilder out = new StringBuilder();
        int length = random.nextInt(200);
        boolean jsonish = random.nextBoolean();
        for (int i = 0; i < length; i++) {
            if (jsonish) {
                out.append(SIGNIFICANT.charAt(random.nextInt(SIGNIFICANT.length())));
            } else {
                out.appendCodePoint(codePoint());
            }
        }
        return new Frame("garbage", out.toString());
    }

    // ---- values ---------------------------------------------------------------------------------------------------

    private ObjectNode resume() {
        ObjectNode frame = NODES.objectNode().put("type", "resume");
        frame.putObject("payload").put("run_id", uuid()).put("after_seq", 0);
        return frame;
    }

    private JsonNode typeValue() {
        return switch (random.nextInt(6)) {
            case 0 -> NODES.textNode(TYPES[random.nextInt(TYPES.length)]);
            case 1 -> NODES.textNode(word());
            case 2 -> NODES.textNode(TYPES[random.nextInt(TYPES.length)].toUpperCase(Locale.ROOT));
            case 3 -> NODES.textNode(unicode(1 + random.nextInt(60)));
            default -> randomValue();
        };
    }

    private JsonNode randomValue() {
        return switch (random.nextInt(12)) {
            case 0 -> NODES.numberNode(random.nextInt());
            case 1 -> NODES.numberNode(-1 - random.nextInt(1000));
            case 2 -> NODES.numberNode(random.nextDouble() * 100);
            case 3 -> NODES.booleanNode(random.nextBoolean());
            case 4 -> NODES.nullNode();
            case 5 -> NODES.textNode("");
            case 6 -> NODES.textNode(" \t\n");
            case 7 -> NODES.arrayNode();
            case 8 -> NODES.objectNode();
            case 9 -> NODES.arrayNode().add(word());
            case 10 -> NODES.objectNode().put("k", word());
            default -> NODES.textNode(word());
        };
    }

    private String lengthEdge() {
        int[] lengths = {0, 1, 199, 200, 201, 31_999, 32_000, 32_001};
        int length = lengths[random.nextInt(lengths.length)];
        return random.nextInt(4) == 0 ? " ".repeat(length) : "x".repeat(length);
    }

    private String escape(int escapes) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < escapes; i++) {
            out.append((char) ('\uE001' + random.nextInt(ESCAPES.size() - 1)));
        }
        return out.toString();
    }

    private String unicode(int codePoints) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < codePoints; i++) {
            out.appendCodePoint(codePoint());
        }
        return out.toString();
    }

    /** Any code point but surrogates and the private-use stand-ins; control characters included. */
    private int codePoint() {
        int[] specials = {0xFEFF, 0xFFFF, 0xFFFE, 0x200B, 0x202E, 0x0301, 0x10FFFF, 0x1F600, 0x7F, 0x85, 0x2028};
        return switch (random.nextInt(5)) {
            case 0 -> random.nextInt(0x80);
            case 1 -> specials[random.nextInt(specials.length)];
            case 2 -> 0x10000 + random.nextInt(0x10FFFF - 0x10000);
            default -> {
                int c = random.nextInt(0xD800);
                yield c == 0 ? 'a' : c;
            }
        };
    }

    private String word() {
        StringBuilder out = new StringBuilder();
        for (int i = 1 + random.nextInt(8); i > 0; i--) {
            out.append((char) ('a' + random.nextInt(26)));
        }
        return out.toString();
    }

    private String uuid() {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }

    // ---- text -----------------------------------------------------------------------------------------------------

    private Frame frame(String kind, ObjectNode frame) {
        return new Frame(kind, text(frame));
    }

    /** The frame as JSON text, with the private-use stand-ins turned into the escapes they stand for. */
    private static String text(ObjectNode frame) {
        String text;
        try {
            text = JSON.writeValueAsString(frame);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == NUL_ESCAPE) {
                out.append(ESCAPES.get(0));
            } else if (c > NUL_ESCAPE && c < NUL_ESCAPE + ESCAPES.size()) {
                out.append(ESCAPES.get(c - NUL_ESCAPE));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Replaces the halves of any pair a mutation broke: such text cannot be sent as UTF-8. */
    private static String validUtf16(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else {
                out.append(Character.isSurrogate(c) ? '?' : c);
            }
        }
        return out.toString();
    }
}
