package dev.candor.testsupport.llm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * An immutable, fluently built reply that {@link LlmProviderStub} plays back for one chat request, in either
 * provider's wire format. Every builder method returns a new {@code Script}; the receiver never changes.
 *
 * <pre>{@code
 * Script.empty().text("Hel").delayMs(20).text("lo").usage(12, 2)
 * Script.empty().text("Let me check.").toolCall("call_1", "current_time", "{\"zone\":\"UTC\"}")
 * Script.empty().httpError(429, "Slow down", 1)
 * Script.empty().tokens(3).stall()
 * }</pre>
 *
 * <p>Rules, checked when the script is built: {@link #httpError} must be the only step; nothing may follow
 * {@link #abortConnection()}, {@link #streamError(String)} or {@link #stall()}.
 */
public final class Script {

    /** One step of a script. */
    public sealed interface Step permits Text, Delay, ToolCall, HttpError, Abort, StreamError, Stall {}

    /** One streamed text delta (one SSE event). */
    public record Text(String piece) implements Step {
        public Text {
            Objects.requireNonNull(piece, "piece");
        }
    }

    /** A pause before the next event. */
    public record Delay(long millis) implements Step {
        public Delay {
            requireNotNegative(millis, "millis");
        }
    }

    /**
     * A tool call; {@code arguments} is the raw argument text (normally a JSON object), streamed split into
     * {@code chunks} pieces.
     */
    public record ToolCall(String id, String name, String arguments, int chunks) implements Step {
        public ToolCall {
            // id may be null: a call without an id, as a misbehaving provider might send
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(arguments, "arguments");
            if (chunks < 1) {
                throw new IllegalArgumentException("chunks must be >= 1: " + chunks);
            }
        }

        /** The argument text cut into at most {@link #chunks()} non-empty consecutive pieces. */
        public List<String> argumentChunks() {
            int n = Math.max(1, Math.min(chunks, arguments.length()));
            List<String> pieces = new ArrayList<>(n);
            int size = (int) Math.ceil(arguments.length() / (double) n);
            for (int start = 0; start < arguments.length(); start += size) {
                pieces.add(arguments.substring(start, Math.min(arguments.length(), start + size)));
            }
            if (pieces.isEmpty()) {
                pieces.add("");
            }
            return pieces;
        }
    }

    /**
     * An HTTP error instead of a reply. {@code body} is the error message, wrapped into the provider's error
     * JSON; a body that starts with <code>{</code> is sent verbatim instead. {@code retryAfterSeconds} (nullable)
     * becomes a {@code Retry-After} header.
     */
    public record HttpError(int status, String body, Integer retryAfterSeconds) implements Step {
        public HttpError {
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException("an HTTP error status is 400..599: " + status);
            }
            Objects.requireNonNull(body, "body");
            if (retryAfterSeconds != null) {
                requireNotNegative(retryAfterSeconds, "retryAfterSeconds");
            }
        }
    }

    /**
     * Closes the TCP connection abruptly, without ending the stream. The events sent before get 100 ms to be read
     * first: the JDK HttpClient discards received-but-unread body bytes once it sees the connection fail.
     */
    public record Abort() implements Step {}

    /** Sends the provider's mid-stream error event, then ends the stream. */
    public record StreamError(String message) implements Step {
        public StreamError {
            Objects.requireNonNull(message, "message");
        }
    }

    /** Sends nothing more (SSE keep-alive comments only) until the client disconnects or the stub resets/closes. */
    public record Stall() implements Step {}

    /** Token counts reported to the client. */
    public record Usage(int inputTokens, int outputTokens) {
        public Usage {
            requireNotNegative(inputTokens, "inputTokens");
            requireNotNegative(outputTokens, "outputTokens");
        }
    }

    private static final Script EMPTY = new Script(List.of(), 0, null, null);

    private final List<Step> steps;
    private final long everyMs;
    private final String finishReason;
    private final Usage usage;

    private Script(List<Step> steps, long everyMs, String finishReason, Usage usage) {
        this.steps = List.copyOf(steps);
        this.everyMs = everyMs;
        this.finishReason = finishReason;
        this.usage = usage;
    }

    /** A script without steps: an empty (but complete) answer. */
    public static Script empty() {
        return EMPTY;
    }

    /** A text answer streamed as the given pieces. */
    public static Script reply(String... pieces) {
        return EMPTY.texts(List.of(pieces));
    }

    /** Parses the JSON step array of the control API (see {@link ScriptCodec}). */
    public static Script fromJson(String json) {
        return ScriptCodec.fromJson(json);
    }

    /** This script as the JSON step array of the control API (see {@link ScriptCodec}). */
    public String toJson() {
        return ScriptCodec.toJson(this);
    }

    // ---- steps -------------------------------------------------------------------------------------------------

    /** Appends one streamed text delta. */
    public Script text(String piece) {
        return with(new Text(piece));
    }

    /** Appends one streamed text delta per element. */
    public Script texts(List<String> pieces) {
        Script script = this;
        for (String piece : pieces) {
            script = script.text(piece);
        }
        return script;
    }

    /** Appends {@code n} text deltas {@code "t0 ", "t1 ", ...}. */
    public Script tokens(int n) {
        requireNotNegative(n, "n");
        List<String> pieces = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            pieces.add("t" + i + " ");
        }
        return texts(pieces);
    }

    /** Appends a pause of {@code millis} before the next event. */
    public Script delayMs(long millis) {
        return with(new Delay(millis));
    }

    /** Appends a tool call whose arguments are streamed in two pieces (when long enough). */
    public Script toolCall(String id, String name, String argumentsJson) {
        return toolCall(id, name, argumentsJson, 2);
    }

    /** Appends a tool call whose arguments are streamed in {@code argumentChunks} pieces. */
    public Script toolCall(String id, String name, String argumentsJson, int argumentChunks) {
        return with(new ToolCall(id, name, argumentsJson, argumentChunks));
    }

    /** Makes the reply an HTTP error; must be the only step. */
    public Script httpError(int status, String body, Integer retryAfterSeconds) {
        return with(new HttpError(status, body, retryAfterSeconds));
    }

    /** After the preceding steps, closes the connection abruptly (simulates a crash mid-stream). */
    public Script abortConnection() {
        return with(new Abort());
    }

    /** After the preceding steps, sends the provider's error event and ends the stream. */
    public Script streamError(String message) {
        return with(new StreamError(message));
    }

    /** After the preceding steps, sends nothing more until the client goes away or the stub resets/closes. */
    public Script stall() {
        return with(new Stall());
    }

    // ---- properties --------------------------------------------------------------------------------------------

    /** Pauses {@code millis} between consecutive content events (text pieces and tool calls). */
    public Script everyMs(long millis) {
        requireNotNegative(millis, "millis");
        return new Script(steps, millis, finishReason, usage);
    }

    /**
     * Overrides the finish reason. OpenAI names ({@code stop, length, tool_calls, content_filter}) and Anthropic
     * names ({@code end_turn, max_tokens, tool_use, refusal}) are translated for the other protocol; anything
     * else is sent verbatim.
     */
    public Script finishReason(String reason) {
        return new Script(steps, everyMs, Objects.requireNonNull(reason, "reason"), usage);
    }

    /** Overrides the reported token usage. */
    public Script usage(int inputTokens, int outputTokens) {
        return new Script(steps, everyMs, finishReason, new Usage(inputTokens, outputTokens));
    }

    // ---- reading -----------------------------------------------------------------------------------------------

    public List<Step> steps() {
        return steps;
    }

    public long everyMs() {
        return everyMs;
    }

    /** The finish reason override, or {@code null}. */
    public String finishReason() {
        return finishReason;
    }

    /** The usage override, or {@code null}. */
    public Usage usage() {
        return usage;
    }

    /** The concatenation of all text pieces: what a client should assemble. */
    public String fullText() {
        return steps.stream()
                .filter(Text.class::isInstance)
                .map(step -> ((Text) step).piece())
                .collect(Collectors.joining());
    }

    /** The text pieces in order. */
    public List<String> textPieces() {
        return steps.stream().filter(Text.class::isInstance).map(step -> ((Text) step).piece()).toList();
    }

    /** The tool calls in order. */
    public List<ToolCall> toolCalls() {
        return steps.stream().filter(ToolCall.class::isInstance).map(ToolCall.class::cast).toList();
    }

    /** The HTTP error this script answers with, or {@code null}. */
    HttpError httpErrorStep() {
        return steps.size() == 1 && steps.get(0) instanceof HttpError error ? error : null;
    }

    private Script with(Step step) {
        if (!steps.isEmpty()) {
            Step last = steps.get(steps.size() - 1);
            if (last instanceof HttpError) {
                throw new IllegalStateException("httpError must be the only step of a script");
            }
            if (last instanceof Abort || last instanceof StreamError || last instanceof Stall) {
                throw new IllegalStateException("nothing can follow " + last + " in a script");
            }
            if (step instanceof HttpError) {
                throw new IllegalStateException("httpError must be the only step of a script");
            }
        }
        List<Step> next = new ArrayList<>(steps.size() + 1);
        next.addAll(steps);
        next.add(step);
        return new Script(next, everyMs, finishReason, usage);
    }

    private static void requireNotNegative(long value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0: " + value);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Script other
                && steps.equals(other.steps)
                && everyMs == other.everyMs
                && Objects.equals(finishReason, other.finishReason)
                && Objects.equals(usage, other.usage);
    }

    @Override
    public int hashCode() {
        return Objects.hash(steps, everyMs, finishReason, usage);
    }

    @Override
    public String toString() {
        return "Script" + Collections.unmodifiableList(steps)
                + (everyMs > 0 ? " everyMs=" + everyMs : "")
                + (finishReason != null ? " finishReason=" + finishReason : "")
                + (usage != null ? " " + usage : "");
    }
}
