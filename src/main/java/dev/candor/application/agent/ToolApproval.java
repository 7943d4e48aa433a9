package dev.candor.application.agent;

import dev.candor.application.Deadlines;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A tool call waiting for the user's {@code tool_approval}, bounded in time. The decision reaches the run exactly
 * once: the user's answer, or the timeout; a cancelled wait decides nothing (the run is ending). {@code ended} runs once
 * when the wait ends, either way.
 */
public final class ToolApproval implements Deadlines.Watched {

    /** How the wait ended. */
    public enum Decision { APPROVED, REFUSED, TIMED_OUT }

    private final String callId;
    private final long dueNanos;
    private final Consumer<Decision> decided;
    private final Runnable whenEnded;
    private final AtomicBoolean ended = new AtomicBoolean();

    ToolApproval(String callId, long dueNanos, Consumer<Decision> decided, Runnable whenEnded) {
        this.callId = callId;
        this.dueNanos = dueNanos;
        this.decided = decided;
        this.whenEnded = whenEnded;
    }

    String callId() {
        return callId;
    }

    boolean isEnded() {
        return ended.get();
    }

    /** The user's answer for {@code call}; false when it is not this call or the wait has already ended. */
    boolean answer(String call, boolean approved) {
        return callId.equals(call) && decide(approved ? Decision.APPROVED : Decision.REFUSED);
    }

    @Override
    public boolean check(long nowNanos) {
        if (!ended.get() && nowNanos - dueNanos >= 0) {
            decide(Decision.TIMED_OUT);
        }
        return ended.get();
    }

    /** Ends the wait without a decision. */
    void cancel() {
        if (ended.compareAndSet(false, true)) {
            whenEnded.run();
        }
    }

    private boolean decide(Decision decision) {
        if (!ended.compareAndSet(false, true)) {
            return false;
        }
        try {
            decided.accept(decision);
        } finally {
            whenEnded.run();
        }
        return true;
    }
}
