package dev.candor.interfaces.websocket.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.application.ErrorCode;
import java.time.Clock;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every decode rule of {@link FrameCodec}: what is accepted, and the one code each bad frame gets. */
class FrameCodecDecodeTest {

    private final FrameCodec codec = new FrameCodec(Clock.systemUTC());

    // ---- accepted frames ------------------------------------------------------------------------------------------

    @Test
    void decodesEveryFrameType() {
        assertEquals(new ClientFrame.Ping(), codec.decode("{\"type\":\"ping\"}"));
        assertEquals(new ClientFrame.StopRun("r1"), codec.decode("{\"type\":\"stop_run\",\"payload\":{\"run_id\":\"r1\"}}"));
        assertEquals(new ClientFrame.Resume("r1", 7),
                codec.decode("{\"type\":\"resume\",\"payload\":{\"run_id\":\"r1\",\"after_seq\":7}}"));
        assertEquals(new ClientFrame.UserMessage("hi", "t1", "c1"), codec.decode(
                "{\"type\":\"user_message\",\"payload\":{\"content\":\"hi\",\"thread_id\":\"t1\",\"client_message_id\":\"c1\"}}"));
    }

    @Test
    void decodesAToolApproval() {
        assertEquals(new ClientFrame.ToolApproval("r1", "call_1", true), codec.decode(
                "{\"type\":\"tool_approval\",\"payload\":{\"run_id\":\"r1\",\"call_id\":\"call_1\",\"approved\":true}}"));
        assertEquals(new ClientFrame.ToolApproval("r1", "call_1", false), codec.decode(
                "{\"type\":\"tool_approval\",\"payload\":{\"run_id\":\"r1\",\"call_id\":\"call_1\",\"approved\":false}}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"run_id\":\"r\",\"call_id\":\"c\"}", "{\"run_id\":\"r\",\"call_id\":\"c\",\"approved\":\"yes\"}",
            "{\"run_id\":\"r\",\"call_id\":\"c\",\"approved\":1}", "{\"run_id\":\"r\",\"approved\":true}",
            "{\"call_id\":\"c\",\"approved\":true}", "{\"run_id\":\"r\",\"call_id\":\"\",\"approved\":true}"})
    void refusesAToolApprovalWithoutRunCallOrABooleanAnswer(String payload) {
        assertRejected("{\"type\":\"tool_approval\",\"payload\":" + payload + "}", ErrorCode.INVALID_MESSAGE);
    }

    @Test
    void treatsAbsentOrNullOptionalFieldsAsNotGiven() {
        assertEquals(new ClientFrame.UserMessage("hi", null, null),
                codec.decode("{\"type\":\"user_message\",\"payload\":{\"content\":\"hi\",\"thread_id\":null}}"));
        assertEquals(new ClientFrame.Resume("r", 0), codec.decode("{\"type\":\"resume\",\"payload\":{\"run_id\":\"r\"}}"));
        assertEquals(new ClientFrame.Resume("r", 0),
                codec.decode("{\"type\":\"resume\",\"payload\":{\"run_id\":\"r\",\"after_seq\":null}}"));
        assertEquals(new ClientFrame.Ping(), codec.decode(" {\"type\":\"ping\",\"extra\":[1,{}]}\n"));
    }

    @Test
    void acceptsContentAndIdsAtTheirLimits() {
        String content = "a".repeat(ClientFrame.MAX_CONTENT);
        String id = "i".repeat(ClientFrame.MAX_ID);
        ClientFrame.UserMessage message = (ClientFrame.UserMessage) codec.decode(userMessage("\"" + content + "\"",
                "\"" + id + "\"", "\"" + id + "\""));
        assertEquals(content, message.content());
        assertEquals(id, message.threadId());
        assertEquals(new ClientFrame.Resume("r", Long.MAX_VALUE), codec.decode(
                "{\"type\":\"resume\",\"payload\":{\"run_id\":\"r\",\"after_seq\":" + Long.MAX_VALUE + "}}"));
    }

    @Test
    void acceptsSurrogatePairsEscapedOrRaw() {
        assertEquals("smile \uD83D\uDE00", content(codec.decode(userMessage("\"smile \\ud83d\\ude00\"", null, null))));
        assertEquals("smile \uD83D\uDE00", content(codec.decode(userMessage("\"smile \uD83D\uDE00\"", null, null))));
        assertEquals("\uD83D\uDE00", ((ClientFrame.StopRun) codec.decode(
                "{\"type\":\"stop_run\",\"payload\":{\"run_id\":\"\\uD83D\\uDE00\"}}")).runId());
    }

    // ---- INVALID_JSON ---------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\n", "hello", "{\"type\":", "{\"type\":\"ping\"", "{type:\"ping\"}",
            "{\"type\":\"ping\",}", "{\"type\":'ping'}", "{\"type\":\"ping\"} x", "{\"type\":\"ping\"}{}",
            "{\"type\":\"ping\"} {\"type\":\"ping\"}", "\"a\" \"b\"", "{\"type\":\"pi\\xng\"}", "{\"type\":\"\\u12\"}",
            "{\"type\":\"a\u0000b\"}", "{\"type\":\"a\u0001b\"}", "nul", "+1", "01", "1.", "-"})
    void answersInvalidJsonForTextThatIsNotOneJsonValue(String text) {
        assertRejected(text, ErrorCode.INVALID_JSON);
    }

    @ParameterizedTest
    @ValueSource(ints = {1_000, 1_001, 5_000, 30_000})
    void answersInvalidJsonForArraysNestedDeeperThanTheParserAllows(int depth) {
        FrameException e = assertRejected("[".repeat(depth) + "]".repeat(depth), ErrorCode.INVALID_JSON);
        assertTrue(e.getMessage().contains("nested"), e.getMessage());
    }

    @Test
    void answersInvalidJsonForObjectsNestedDeeperThanTheParserAllowsInsideAValidFrame() {
        String deep = "{\"a\":".repeat(2_000) + "1" + "}".repeat(2_000);
        assertRejected("{\"type\":\"ping\",\"payload\":" + deep + "}", ErrorCode.INVALID_JSON);
        assertRejected("{\"type\":\"user_message\",\"payload\":{\"content\":\"hi\",\"x\":" + deep + "}}",
                ErrorCode.INVALID_JSON);
    }

    @Test
    void acceptsNestingBelowTheParserLimit() {
        String deep = "[".repeat(900) + "]".repeat(900);
        assertEquals(new ClientFrame.Ping(), codec.decode("{\"type\":\"ping\",\"x\":" + deep + "}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e2147483648", "-1e2147483648", "1e-2147483649"})
    void answersInvalidJsonForNumbersWhoseExponentDoesNotFit(String number) {
        assertRejected("{\"type\":\"resume\",\"payload\":{\"run_id\":\"r\",\"after_seq\":" + number + "}}",
                ErrorCode.INVALID_JSON);
        assertRejected("{\"type\":\"ping\",\"x\":" + number + "}", ErrorCode.INVALID_JSON);
    }

    // ---- INVALID_MESSAGE: the envelope ----------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"[]", "[\"ping\"]", "\"ping\"", "5", "true", "null", "{}", "{\"payload\":{}}",
            "{\"type\":5}", "{\"type\":null}", "{\"type\":[\"ping\"]}", "{\"type\":{}}", "{\"type\":true}",
            "{\"type\":\"ping\",\"payload\":\"hi\"}", "{\"type\":\"ping\",\"payload\":[]}",
            "{\"type\":\"ping\",\"payload\":1}", "{\"type\":\"ping\",\"payload\":null}",
            "{\"type\":\"user_message\",\"payload\":\"hi\"}"})
    void answersInvalidMessageForAnEnvelopeThatIsNotAFrame(String text) {
        assertRejected(text, ErrorCode.INVALID_MESSAGE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"delete_everything", "", "PING", "ping ", "user-message"})
    void answersUnknownTypeForATypeOutsideTheProtocol(String type) {
        assertRejected("{\"type\":\"" + type + "\"}", ErrorCode.UNKNOWN_TYPE);
    }

    @Test
    void shortensAnUnknownTypeInTheMessageWithoutCuttingACharacterInTwo() {
        String type = "x".repeat(39) + "\uD83D\uDE00" + "y".repeat(50);
        FrameException e = assertRejected("{\"type\":\"" + type + "\"}", ErrorCode.UNKNOWN_TYPE);
        assertFalse(hasUnpairedSurrogate(e.getMessage()), e.getMessage());
        assertFalse(e.getMessage().contains("y".repeat(50)), e.getMessage());
    }

    // ---- INVALID_MESSAGE: user_message ----------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"7", "null", "true", "[]", "{}", "[\"hi\"]", "\"\"", "\" \"", "\"\\n\\t \"",
            "\"\\u2003\""})
    void answersInvalidMessageForContentThatIsNotText(String content) {
        assertRejected(userMessage(content, null, null), ErrorCode.INVALID_MESSAGE);
    }

    @Test
    void answersInvalidMessageForMissingContent() {
        assertRejected("{\"type\":\"user_message\",\"payload\":{}}", ErrorCode.INVALID_MESSAGE);
        assertRejected("{\"type\":\"user_message\"}", ErrorCode.INVALID_MESSAGE);
        assertRejected("{\"type\":\"user_message\",\"payload\":{\"thread_id\":\"t\"}}", ErrorCode.INVALID_MESSAGE);
    }

    @Test
    void answersInvalidMessageForContentOverThirtyTwoThousandCharacters() {
        FrameException e = assertRejected(userMessage("\"" + "a".repeat(ClientFrame.MAX_CONTENT + 1) + "\"", null,
                null), ErrorCode.INVALID_MESSAGE);
        assertTrue(e.getMessage().contains("32000"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"\\u0000\"", "\"a\\u0000b\"", "\"hello\\u0000\"", "\"\\u0000 \""})
    void answersInvalidMessageForContentWithNul(String content) {
        FrameException e = assertRejected(userMessage(content, null, null), ErrorCode.INVALID_MESSAGE);
        assertEquals("'content' must not contain the NUL character (U+0000)", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"\\ud800\"", "\"a\\ud800\"", "\"\\ud800b\"", "\"\\udc00\"", "\"a\\udfffb\"",
            "\"\\ude00\\ud83d\"", "\"\\ud800\\ud800\"", "\"\\ud83d\\ude00\\ud83d\""})
    void answersInvalidMessageForContentWithAnUnpairedSurrogate(String content) {
        FrameException e = assertRejected(userMessage(content, null, null), ErrorCode.INVALID_MESSAGE);
        assertTrue(e.getMessage().contains("unpaired UTF-16 surrogate"), e.getMessage());
        assertFalse(hasUnpairedSurrogate(e.getMessage()), e.getMessage());
    }

    // ---- INVALID_MESSAGE: ids -------------------------------------------------------------------------------------

    static Stream<Arguments> badIds() {
        String tooLong = "\"" + "i".repeat(ClientFrame.MAX_ID + 1) + "\"";
        return Stream.of("\"\"", "\"  \"", "7", "true", "{}", "[]", "[\"t\"]", tooLong, "\"a\\u0000\"", "\"\\u0000\"",
                "\"\\ud800\"", "\"x\\udc00y\"").map(Arguments::of);
    }

    @ParameterizedTest
    @MethodSource("badIds")
    void answersInvalidMessageForABadThreadId(String id) {
        assertRejected(userMessage("\"hi\"", id, null), ErrorCode.INVALID_MESSAGE);
    }

    @ParameterizedTest
    @MethodSource("badIds")
    void answersInvalidMessageForABadClientMessageId(String id) {
        assertRejected(userMessage("\"hi\"", null, id), ErrorCode.INVALID_MESSAGE);
    }

    @ParameterizedTest
    @MethodSource("badIds")
    void answersInvalidMessageForABadRunId(String id) {
        assertRejected("{\"type\":\"stop_run\",\"payload\":{\"run_id\":" + id + "}}", ErrorCode.INVALID_MESSAGE);
        assertRejected("{\"type\":\"resume\",\"payload\":{\"run_id\":" + id + ",\"after_seq\":0}}",
                ErrorCode.INVALID_MESSAGE);
    }

    @Test
    void namesTheFieldAndTheNulCharacterForEachId() {
        assertEquals("'thread_id' must not contain the NUL character (U+0000)",
                assertRejected(userMessage("\"hi\"", "\"t\\u0000\"", null), ErrorCode.INVALID_MESSAGE).getMessage());
        assertEquals("'client_message_id' must not contain the NUL character (U+0000)",
                assertRejected(userMessage("\"hi\"", null, "\"\\u0000c\""), ErrorCode.INVALID_MESSAGE).getMessage());
        assertEquals("'run_id' must not contain the NUL character (U+0000)", assertRejected(
                "{\"type\":\"stop_run\",\"payload\":{\"run_id\":\"r\\u0000\"}}", ErrorCode.INVALID_MESSAGE).getMessage());
    }

    @Test
    void answersInvalidMessageForAMissingRunId() {
        assertRejected("{\"type\":\"stop_run\",\"payload\":{}}", ErrorCode.INVALID_MESSAGE);
        assertRejected("{\"type\":\"stop_run\"}", ErrorCode.INVALID_MESSAGE);
        assertRejected("{\"type\":\"stop_run\",\"payload\":{\"run_id\":null}}", ErrorCode.INVALID_MESSAGE);
        assertRejected("{\"type\":\"resume\",\"payload\":{\"after_seq\":1}}", ErrorCode.INVALID_MESSAGE);
    }

    // ---- INVALID_MESSAGE: after_seq -------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"-1", "-9223372036854775808", "-0.5", "1.5", "0.1", "1e-3", "\"3\"", "true", "[]", "{}",
            "9223372036854775808", "18446744073709551617", "123456789012345678901234567890", "1e999999999"})
    void answersInvalidMessageForAnAfterSeqThatIsNotAWholeNumberInRange(String afterSeq) {
        assertRejected("{\"type\":\"resume\",\"payload\":{\"run_id\":\"r\",\"after_seq\":" + afterSeq + "}}",
                ErrorCode.INVALID_MESSAGE);
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private FrameException assertRejected(String text, ErrorCode code) {
        FrameException e = assertThrows(FrameException.class, () -> codec.decode(text), () -> "accepted: " + shortened(text));
        assertEquals(code, e.code(), e.getMessage());
        assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "an error needs a message");
        assertFalse(e.retryable(), e.getMessage());
        return e;
    }

    /** A user_message frame from raw JSON values; null leaves the field out. */
    private static String userMessage(String content, String threadId, String clientMessageId) {
        StringBuilder payload = new StringBuilder("{\"content\":").append(content);
        if (threadId != null) {
            payload.append(",\"thread_id\":").append(threadId);
        }
        if (clientMessageId != null) {
            payload.append(",\"client_message_id\":").append(clientMessageId);
        }
        return "{\"type\":\"user_message\",\"payload\":" + payload + "}}";
    }

    private static String shortened(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "... (" + text.length() + " chars)";
    }

    private static String content(ClientFrame frame) {
        return ((ClientFrame.UserMessage) frame).content();
    }

    private static boolean hasUnpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}
