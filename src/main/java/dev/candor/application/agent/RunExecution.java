package dev.candor.application.agent;

import dev.candor.application.ErrorReport;
import dev.candor.application.Failures;
import dev.candor.application.InOrder;
import dev.candor.application.rollout.RolloutSwitches;
import dev.candor.application.tracing.Step;
import dev.candor.application.tracing.TraceScope;
import dev.candor.application.tracing.TurnTrace;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Performs one agent run: streams the model's answer, runs the tools it asks for, and ends with exactly one of
 * agent_completed (answer stored first), agent_error (nothing invented) or run_cancelled (partial stored, unfinished).
 * The decisions are the {@link RunState}'s; this class does the I/O around them, never under a lock. Every callback is
 * guarded: an unexpected fault ends the run with agent_error INTERNAL_ERROR and a correlation id, and the thread is
 * released before the terminal event is sent, so the client may send its next message as soon as it sees it.
 */
public final class RunExecution {

    private final RunContext context;
    private final RunSpec spec;
    private final TurnTrace trace;
    private final Runnable releaseThread;
    private final Runnable retire;
    private final RunState state;
    private final InOrder<AgentEvent> outbox;
    private final RunJournal journal;
    private final List<LlmMessage> conversation;
    private final RunEnding ending;
    /** The model this run asks: the rollout switch provider.model's value for its user, else null (the configured). */
    private final String modelOverride;
    private final CompletableFuture<Void> stored = new CompletableFuture<>();
    private volatile LlmStream stream;
    private volatile TurnTrace.ModelCall modelCall;
    private final ToolRound toolRound;
    private final String cohort;
    private final RunObserver observer;

    /**
     * {@code releaseThread} frees the run's thread; {@code retire} ends its lease on this node (its end is stored);
     * {@code trace} is the turn whose spans the run adds to, ended by its terminal event.
     */
    RunExecution(RunContext context, RunSpec spec, TurnTrace trace, Runnable releaseThread, Runnable retire) {
        this.context = context;
        this.spec = spec;
        this.trace = trace;
        this.releaseThread = releaseThread;
        this.retire = retire;
        this.conversation = new ArrayList<>(spec.conversation());
        this.cohort = context.cohorts().of(spec.ownerId());
        this.observer = new RunObserver(trace, context.metrics(), cohort);
        this.journal = context.writer().open(spec.runId());
        this.outbox = new InOrder<>(this::publish, true);
        this.modelOverride = context.rollout().value(RolloutSwitches.PROVIDER_MODEL, spec.ownerId()).orElse(null);
        this.state = new RunState(spec.runId(), spec.threadId(),
                modelOverride != null ? modelOverride : context.model().modelName(), outbox,
                Clock.systemUTC());
        this.ending = new RunEnding(context.outcomes(), context.storeRetry(), context.backgroundRetry(), spec, state,
                outbox, releaseThread, retire);
        this.toolRound = new ToolRound(context, spec, trace, state, outbox, conversation, this::guard, this::nextRound);
    }

    public String runId() {
        return spec.runId();
    }

    public String threadId() {
        return spec.threadId();
    }

    public String ownerId() {
        return spec.ownerId();
    }

    RunJournal journal() {
        return journal;
    }

    void start() {
        guard(() -> {
            if (spec.newThreadTitle() != null) {
                state.emit(new RunEvent.ThreadCreated(spec.threadId(), spec.newThreadTitle()));
            }
            state.emit(new RunEvent.AgentStarted(context.config().name(), spec.userMessageId()));
            outbox.drain();
            nextRound();
        });
    }

    /** The run's turn is stored: its events may now reach clients, and it may end. */
    public void committed() {
        context.metrics().runStarted(cohort); // an abandoned run (its turn never stored) was never a run
        outbox.release();
        stored.complete(null);
    }

    /**
     * The turn could not be stored: the run ends without a trace. Its provider request is aborted, nothing of it was or
     * will be sent, and its thread is released; the caller reports the storing failure.
     */
    public void abandon() {
        state.beginEnd();
        outbox.discard();
        abortUpstream();
        context.writer().discard(journal);
        context.bridge().forgetRun(spec.runId());
        stored.completeExceptionally(new IllegalStateException("run " + spec.runId() + " was abandoned"));
        releaseThread.run();
        retire.run();
    }

    /** Stops the run at whatever stage it is in; false when it has already ended (or is ending). */
    boolean cancel() {
        var snapshot = state.beginEnd();
        if (snapshot.isEmpty()) {
            return false;
        }
        abortUpstream();
        afterStored(() -> ending.cancelled(snapshot.get()));
        return true;
    }

    private void nextRound() {
        if (!state.startRound()) {
            return;
        }
        int outputLeft = Math.max(1, context.limits().runOutputTokens() - state.outputTokens());
        List<ToolSpec> offered = context.registry().availableTo(spec.ownerId()).stream()
                .map(t -> new ToolSpec(t.name(), t.description(), t.parameters())).toList();
        LlmRequest request = new LlmRequest(List.copyOf(conversation), offered, outputLeft, modelOverride);
        TurnTrace.ModelCall call = trace.modelCall(context.model().providerName(),
                modelOverride != null ? modelOverride : context.model().modelName(), outputLeft);
        modelCall = call;
        try (TraceScope ignored = call.activate()) {
            stream = context.model().open(request, new TracedListener(call, new Listener()));
        }
        if (state.isEnding()) {
            stream.cancel(); // cancelled while the request was being opened
        }
    }

    /** The call whose approval the run awaits, if any. */
    Optional<String> awaitedApproval() {
        return toolRound.awaitedApproval();
    }

    /** The user's answer to the approval of call {@code callId}; false when no approval of it is awaited. */
    public boolean answerApproval(String callId, boolean approved) {
        return toolRound.answerApproval(callId, approved);
    }

    /**
     * Runs {@code step} in the run's trace context (whatever thread calls it); an unexpected fault in it ends the run
     * with INTERNAL_ERROR and releases the thread.
     */
    private void guard(Runnable step) {
        try (TraceScope ignored = trace.activate()) {
            guarded(step);
        }
    }

    private void guarded(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException | Error e) {
            ErrorReport report = Failures.unexpected(e, "run " + spec.runId());
            abortUpstream();
            if (state.beginEnd().isPresent() || state.stage() == RunState.Stage.ENDING) {
                afterStored(() -> {
                    try {
                        ending.failed(report);
                    } catch (RuntimeException | Error again) {
                        ending.couldNotEnd(again);
                    }
                });
            }
        }
    }

    /**
     * Runs an ending once the turn is stored (at once when it is): the run's status can only be written after its row
     * exists. An abandoned run never ends this way.
     */
    private void afterStored(Runnable ending) {
        if (stored.isDone()) {
            if (!stored.isCompletedExceptionally()) {
                guard(ending);
            }
            return;
        }
        stored.thenRun(() -> guard(ending));
    }

    private void abortUpstream() {
        LlmStream current = stream;
        if (current != null) {
            current.cancel();
        }
        endSpan(modelCall);
        toolRound.abort();
    }

    /** Encodes the event once, records it for resume and the durable log, and sends it to the run's followers. */
    private void publish(AgentEvent event) {
        EncodedEvent encoded = new EncodedEvent(event.runId(), event.seq(), event.event().terminal(),
                context.encoder().encode(event));
        context.writer().append(journal, encoded);
        context.bridge().publish(encoded);
        observer.published(event.event());
    }

    /** A model or tool call the run stopped: its span ends as cancelled (one that already ended stays as it was). */
    static void endSpan(Step span) {
        if (span != null) {
            span.cancelled();
        }
    }

    /** Streamed events of the current model turn. */
    private final class Listener implements LlmStreamListener {

        @Override
        public void onThinking(String text) {
            guard(() -> {
                if (state.emit(new RunEvent.AgentThinking(text))) {
                    outbox.drain();
                }
            });
        }

        @Override
        public void onDelta(String text) {
            guard(() -> {
                if (state.delta(text)) {
                    outbox.drain();
                }
            });
        }

        @Override
        public void onReply(LlmReply reply) {
            guard(() -> {
                // Every model turn the provider reported counts against the user's daily budget, however the run
                // ends afterwards (a tool round, a limit, a stop).
                context.limits().tokensUsed(spec.ownerId(), (long) reply.inputTokens() + reply.outputTokens());
                context.metrics().tokens(cohort, reply.inputTokens(), reply.outputTokens());
                RunState.Next next = state.reply(reply, context.config().maxToolRounds(),
                        context.limits().runOutputTokens());
                if (next instanceof RunState.Next.Complete done) {
                    afterStored(() -> ending.completed(done.snapshot(), done.finishReason()));
                } else if (next instanceof RunState.Next.RunTools tools) {
                    conversation.add(new LlmMessage.Assistant(reply.text(), tools.calls()));
                    toolRound.start(tools.calls());
                } else if (next instanceof RunState.Next.Fail fail) {
                    afterStored(() -> ending.failed(Failures.report(fail.failure(), "run " + spec.runId())));
                }
            });
        }

        @Override
        public void onError(Throwable failure) {
            guard(() -> {
                if (state.beginEnd().isPresent()) {
                    ErrorReport report = Failures.report(failure, "the model turn of run " + spec.runId());
                    afterStored(() -> ending.failed(report));
                }
            });
        }
    }
}
