package dev.candor.application.agent;

import dev.candor.application.InOrder;
import dev.candor.application.metrics.RunMetrics;
import dev.candor.application.tool.Tool;
import dev.candor.application.tracing.Step;
import dev.candor.application.tracing.TurnTrace;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The tool calls of a run's model replies, one after another: a call whose tool needs the user's approval waits for it
 * first (a refusal or no answer goes to the model as the call's error, and nothing runs), then runs on the
 * {@link ToolRunner}; each result or error goes to the conversation and to the run's clients. When every call of a
 * reply is done, {@code askAgain} sends the results to the model. Each step runs through the run's {@code guard}.
 */
final class ToolRound {

    private final RunContext context;
    private final RunSpec spec;
    private final TurnTrace trace;
    private final RunState state;
    private final InOrder<AgentEvent> outbox;
    private final List<LlmMessage> conversation;
    private final Consumer<Runnable> guard;
    private final Runnable askAgain;
    private volatile ToolRunner.Call toolCall;
    private volatile Step toolSpan;
    private volatile ToolApproval approval;
    private long callsStarted; // guarded by this: which started call toolCall is

    ToolRound(RunContext context, RunSpec spec, TurnTrace trace, RunState state, InOrder<AgentEvent> outbox,
              List<LlmMessage> conversation, Consumer<Runnable> guard, Runnable askAgain) {
        this.context = context;
        this.spec = spec;
        this.trace = trace;
        this.state = state;
        this.outbox = outbox;
        this.conversation = conversation;
        this.guard = guard;
        this.askAgain = askAgain;
    }

    /** Runs the calls of one model reply, in order; then asks the model again. */
    void start(List<ToolCall> calls) {
        runTools(calls, 0);
    }

    private void runTools(List<ToolCall> calls, int index) {
        if (index == calls.size()) {
            int results = calls.size();
            if (state.emit(new RunEvent.AgentThinking("Sending " + results + " tool result" + (results == 1 ? "" : "s")
                    + " back to the model"))) {
                outbox.drain();
                askAgain.run();
            }
            return;
        }
        ToolCall call = calls.get(index);
        JsonObject arguments = call.arguments();
        Optional<Tool> tool = context.registry().find(call.name())
                .filter(found -> context.registry().allows(found, spec.ownerId()));
        String server = tool.flatMap(Tool::server).orElse(null);
        Duration approvalBound = tool.flatMap(Tool::approval).orElse(null);
        if (approvalBound == null) {
            runTool(calls, index, tool);
            return;
        }
        // Waiting before the event is sent, so that an answer as quick as the client can give finds the wait.
        ToolApproval pending = context.approvals().await(spec.runId(), call.id(), approvalBound,
                decision -> guard.accept(() -> decided(calls, index, tool, approvalBound, decision)));
        approval = pending;
        if (!state.emit(new RunEvent.ToolApprovalRequired(call.id(), call.name(), server, arguments,
                approvalBound.toMillis()))) {
            pending.cancel();
            return;
        }
        outbox.drain();
        if (state.isEnding()) {
            pending.cancel(); // stopped while the approval was being asked for
        }
    }

    /** The decision on a call that needed approval (or its bound passed): it runs, or the model learns why not. */
    private void decided(List<ToolCall> calls, int index, Optional<Tool> tool, Duration bound,
                         ToolApproval.Decision decision) {
        approval = null;
        if (decision == ToolApproval.Decision.APPROVED) {
            runTool(calls, index, tool);
            return;
        }
        context.metrics().toolCalled(calls.get(index).name(), RunMetrics.ToolOutcome.DENIED);
        toolDone(calls, index, tool.flatMap(Tool::server).orElse(null), decision == ToolApproval.Decision.REFUSED
                ? "error: the user refused this call; the tool did not run"
                : "error: the user did not approve this call within " + bound.toSeconds() + " s; the tool did not run",
                0, true);
    }

    /** Runs the call with the tool found and allowed when the call was looked at ({@code tool}; empty: none). */
    private void runTool(List<ToolCall> calls, int index, Optional<Tool> tool) {
        ToolCall call = calls.get(index);
        JsonObject arguments = call.arguments();
        String server = tool.flatMap(Tool::server).orElse(null);
        if (!state.emit(new RunEvent.ToolExecuting(call.id(), call.name(), server, arguments))) {
            return;
        }
        outbox.drain();
        Step span = trace.toolCall(call.name(), call.id());
        toolSpan = span;
        long mine;
        synchronized (this) {
            mine = ++callsStarted;
        }
        ToolRunner.Call started = context.tools().run(call.name(), tool, arguments, spec.ownerId(),
                context.config().toolTimeout(), outcome -> {
                    if (outcome.isError()) {
                        span.fail("tool_error");
                    } else {
                        span.end();
                    }
                    guard.accept(() -> toolDone(calls, index, server, outcome.result(), outcome.durationMs(),
                            outcome.isError()));
                });
        synchronized (this) {
            if (callsStarted == mine) {
                toolCall = started; // unless it ended at once and the next call has started meanwhile
            }
        }
        if (state.isEnding()) {
            started.cancel(); // cancelled while the tool was being started
        }
    }

    /** The call's result (or error) goes to the model and the client; then the next call. */
    private void toolDone(List<ToolCall> calls, int index, String server, String result, long durationMs,
                          boolean isError) {
        ToolCall call = calls.get(index);
        conversation.add(new LlmMessage.ToolResult(call.id(), call.name(), result, isError));
        if (state.emit(new RunEvent.ToolCompleted(call.id(), call.name(), server, result, durationMs, isError))) {
            outbox.drain();
            runTools(calls, index + 1);
        }
    }

    /** The call whose approval the run awaits, if any. */
    Optional<String> awaitedApproval() {
        ToolApproval pending = approval;
        return pending == null || pending.isEnded() ? Optional.empty() : Optional.of(pending.callId());
    }

    /** The user's answer to the approval of call {@code callId}; false when no approval of it is awaited. */
    boolean answerApproval(String callId, boolean approved) {
        ToolApproval pending = approval;
        return pending != null && pending.answer(callId, approved);
    }

    /** The run stops: the tool running now is interrupted, its span ends, an approval wait ends (nothing runs). */
    void abort() {
        ToolRunner.Call tool = toolCall;
        if (tool != null) {
            tool.cancel();
        }
        RunExecution.endSpan(toolSpan);
        ToolApproval pending = approval;
        if (pending != null) {
            pending.cancel();
        }
    }
}
