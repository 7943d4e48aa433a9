package dev.candor.testsupport.llm;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/**
 * What differs between the provider protocols the stub speaks: authentication, payload formats and finish
 * reasons. {@link LlmProviderStub} plays the {@link Script} and calls into an implementation
 * ({@link OpenAiWire}, {@link AnthropicWire}) for the bytes.
 */
interface ProviderWire {

    /**
     * Facts about one chat request/reply that the payloads need.
     *
     * @param sequence     a stub-wide counter, used to build response ids
     * @param model        the model the request asked for (or the wire's default)
     * @param created      epoch seconds
     * @param inputTokens  reported prompt tokens
     * @param outputTokens reported completion tokens
     * @param finishReason the finish reason in this protocol's vocabulary
     * @param request      the parsed request body
     */
    record Turn(
            long sequence,
            String model,
            long created,
            int inputTokens,
            int outputTokens,
            String finishReason,
            JsonNode request) {}

    /** The streaming half: called in script order on one request thread. */
    interface Stream {
        void start() throws IOException;

        void text(String piece) throws IOException;

        void toolCall(Script.ToolCall call) throws IOException;

        /** Ends a complete reply (finish reason, usage, terminator). */
        void finish() throws IOException;

        /** Sends the protocol's mid-stream error event (the stream then ends). */
        void error(String message) throws IOException;
    }

    /** Model id used when the request names none. */
    String defaultModel();

    /** Whether the request carries the expected API key ({@code expectedKey == null}: anything goes). */
    boolean authorized(RecordedRequest request, String expectedKey);

    /** The body of a successful models listing. */
    String modelsJson();

    /** The protocol's error body for an HTTP status; {@code message} starting with <code>{</code> is used as is. */
    String errorJson(int status, String message);

    /** The finish reason for a script: its override (translated into this protocol) or the natural one. */
    String finishReason(Script script);

    /** A non-streaming reply with the whole script's content. */
    String completionJson(Turn turn, Script script);

    /** A streaming reply writing to {@code out}. */
    Stream stream(Turn turn, SseWriter out);
}
