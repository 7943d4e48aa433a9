package dev.candor.infrastructure.llm;

import java.util.ArrayList;
import java.util.List;

/** Aborts one provider HTTP exchange, whatever stage it is in: before the response, or while its body streams. */
final class HttpAbort {

    private final List<Runnable> actions = new ArrayList<>();
    private boolean aborted;

    /** Runs {@code action} on abort, at once if already aborted. */
    void onAbort(Runnable action) {
        boolean now;
        synchronized (this) {
            now = aborted;
            if (!now) {
                actions.add(action);
            }
        }
        if (now) {
            action.run();
        }
    }

    void abort() {
        List<Runnable> toRun;
        synchronized (this) {
            if (aborted) {
                return;
            }
            aborted = true;
            toRun = List.copyOf(actions);
            actions.clear();
        }
        toRun.forEach(Runnable::run);
    }

    synchronized boolean isAborted() {
        return aborted;
    }
}
