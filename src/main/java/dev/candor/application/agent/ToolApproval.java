package dev.candor.application.agent;

import dev.candor.application.Deadlines;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A tool call waiting for the user's {@code tool_approval}, bounded in time. The decision reaches the run exactly
 * once: the user's answer, or the timeout; a cancelled wait decides nothing (the run is ending).
 */
public final class ToolApproval implements Deadlines.Watched {

    /** How the wait ended. */
    public enum Decision { APPROVED, REFUSED, TIMED_OUT }

    private final String callId;
    private final long dueNanos;
    private final Consumer<Decision> decided;
    private final AtomicBoolean ended = new AtomicBoolean();

    ToolApproval(String callId, long dueNanos, Consumer<Decision> decided) {
        this.callId = callId;
        this.dueNanos = dueNanos;
        this.decided = decided;
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
        ended.set(true);
    }

    private boolean decide(Decision decision) {
        if (!ended.compareAndSet(false, true)) {
            return false;
        }
        decided.accept(decision);
        return true;
    }
}
