package dev.candor.application.agent;

import dev.candor.application.ErrorCode;
import dev.candor.application.InOrder;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The state machine of one run, without I/O. Each method decides under the lock and queues the events it emits, with
 * their seq, in an {@link InOrder} outbox that the caller drains after the lock is released, so events leave in seq
 * order and no lock is held while they are sent.
 * <p>
 * A run streams a model turn, may run tools and stream again, then ends exactly once: {@link #beginEnd} lets the first
 * caller (completion, failure, cancel or an unexpected fault) through and rejects everything after it, and
 * {@link #end} queues the one terminal event.
 */
final class RunState {

    enum Stage { STREAMING, TOOLS, ENDING, ENDED }

    /** What the run had when it began to end. */
    record Snapshot(String answer, int rounds, int inputTokens, int outputTokens, String model) {
    }

    /** What to do after a model turn ended. */
    sealed interface Next {
        /** Nothing: the run is already ending. */
        record Ignore() implements Next {
        }

        /** Store the answer and end with agent_completed. */
        record Complete(Snapshot snapshot, String finishReason) implements Next {
        }

        /** Run the tools the model asked for, then send their results back. */
        record RunTools(List<ToolCall> calls) implements Next {
        }

        /** End with agent_error: the model's turn cannot be used. */
        record Fail(Snapshot snapshot, LlmFailure failure) implements Next {
        }
    }

    private final String runId;
    private final String threadId;
    private final InOrder<AgentEvent> outbox;
    private final Clock clock;
    private final StringBuilder answer = new StringBuilder();
    private Stage stage = Stage.STREAMING;
    private long seq;
    private int rounds;
    private int inputTokens;
    private int outputTokens;
    private String model;

    RunState(String runId, String threadId, String model, InOrder<AgentEvent> outbox, Clock clock) {
        this.runId = runId;
        this.threadId = threadId;
        this.model = model;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** Queues a non-terminal event unless the run is ending; false when it was not queued. */
    synchronized boolean emit(RunEvent event) {
        if (event.terminal()) {
            throw new IllegalArgumentException("a terminal event ends the run through end(): " + event.type());
        }
        if (stage == Stage.ENDING || stage == Stage.ENDED) {
            return false;
        }
        push(event);
        return true;
    }

    /** The next piece of the answer, accepted only while the model streams. */
    synchronized boolean delta(String text) {
        if (stage != Stage.STREAMING) {
            return false;
        }
        answer.append(text);
        push(new RunEvent.AgentDelta(text));
        return true;
    }

    /** A new model turn starts; false when the run is ending. */
    synchronized boolean startRound() {
        if (stage == Stage.ENDING || stage == Stage.ENDED) {
            return false;
        }
        rounds++;
        stage = Stage.STREAMING;
        return true;
    }

    /** The model's turn ended with {@code reply}: complete, run its tools, or fail. */
    synchronized Next reply(LlmReply reply, int maxToolRounds) {
        return reply(reply, maxToolRounds, Integer.MAX_VALUE);
    }

    /**
     * As {@link #reply(LlmReply, int)}; a model that asks for tools once the run's output tokens reached
     * {@code maxOutputTokens} ends the run with OUTPUT_LIMIT: nothing more is asked of it.
     */
    synchronized Next reply(LlmReply reply, int maxToolRounds, int maxOutputTokens) {
        if (stage != Stage.STREAMING) {
            return new Next.Ignore();
        }
        inputTokens += reply.inputTokens();
        outputTokens += reply.outputTokens();
        if (reply.model() != null) {
            model = reply.model();
        }
        if (reply.toolCalls().isEmpty()) {
            stage = Stage.ENDING;
            return new Next.Complete(snapshot(), reply.finishReason());
        }
        Optional<ToolCall> malformed = reply.toolCalls().stream()
                .filter(c -> c.id() == null || c.id().isBlank() || c.name() == null || c.name().isBlank()).findFirst();
        if (malformed.isPresent()) {
            stage = Stage.ENDING;
            return new Next.Fail(snapshot(), new LlmFailure(ErrorCode.LLM_ERROR, "The model "
                    + "asked for a tool call without an id or a name, which cannot be answered; the run stopped "
                    + "without an answer. Try again.", true, null));
        }
        if (rounds >= maxToolRounds) {
            stage = Stage.ENDING;
            return new Next.Fail(snapshot(), new LlmFailure(ErrorCode.LLM_ERROR, "The model "
                    + "asked for tools in " + rounds + " rounds in a row (the limit is " + maxToolRounds + "); the run "
                    + "stopped without an answer.", true, null));
        }
        if (outputTokens >= maxOutputTokens) {
            stage = Stage.ENDING;
            return new Next.Fail(snapshot(), new LlmFailure(ErrorCode.OUTPUT_LIMIT, "The model used the run's "
                    + maxOutputTokens + " output tokens and still asked for tools; the run stopped without an answer. "
                    + "Ask a narrower question.", false, null));
        }
        stage = Stage.TOOLS;
        return new Next.RunTools(reply.toolCalls());
    }

    /** The output tokens the provider reported for the run's model turns so far. */
    synchronized int outputTokens() {
        return outputTokens;
    }

    /** Lets exactly one ending through: the first caller gets the snapshot, every later one nothing. */
    synchronized Optional<Snapshot> beginEnd() {
        if (stage == Stage.ENDING || stage == Stage.ENDED) {
            return Optional.empty();
        }
        stage = Stage.ENDING;
        return Optional.of(snapshot());
    }

    /** Queues the run's one terminal event. */
    synchronized void end(RunEvent terminal) {
        if (!terminal.terminal()) {
            throw new IllegalArgumentException(terminal.type() + " does not end a run");
        }
        if (stage == Stage.ENDED) {
            throw new IllegalStateException("run " + runId + " has ended already");
        }
        push(terminal);
        stage = Stage.ENDED;
    }

    synchronized Stage stage() {
        return stage;
    }

    synchronized boolean isEnding() {
        return stage == Stage.ENDING || stage == Stage.ENDED;
    }

    synchronized String model() {
        return model;
    }

    private Snapshot snapshot() {
        return new Snapshot(answer.toString(), rounds, inputTokens, outputTokens, model);
    }

    private void push(RunEvent event) {
        outbox.add(new AgentEvent(runId, threadId, ++seq, Instant.now(clock), event));
    }
}
