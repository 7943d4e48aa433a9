package dev.candor.application.agent;

import dev.candor.application.startup.DependencyMonitor;
import dev.candor.domain.run.RunRepository;
import dev.candor.domain.run.RunStatus;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The database status of the followed runs that have been silent a while (one that ended starts its grace), read on
 * another thread of the scheduler, so that a slow or dead database never holds up the events of every other followed
 * run. At most one read is in flight; its answers are applied by the reader of {@link RemoteFollows}, which alone
 * touches a {@link RemoteRun}. Not thread-safe: only that reader calls it.
 */
final class RemoteRunStatuses {

    private final Executor executor;
    private final RunRepository runs;
    private final DependencyMonitor monitor;
    private CompletableFuture<Read> inFlight;

    RemoteRunStatuses(Executor executor, RunRepository runs, DependencyMonitor monitor) {
        this.executor = executor;
        this.runs = runs;
        this.monitor = monitor;
    }

    /** At {@code now}: applies a finished read to {@code followed}, then starts one for the runs due, if any. */
    void check(long now, Map<String, RemoteRun> followed, Duration every) {
        if (inFlight != null) {
            if (!inFlight.isDone()) {
                return;
            }
            apply(followed);
        }
        List<String> due = followed.values().stream().filter(run -> run.statusDue(now, every))
                .map(RemoteRun::runId).toList();
        if (!due.isEmpty()) {
            inFlight = CompletableFuture.supplyAsync(() -> new Read(now, runningOf(due)), executor);
            if (inFlight.isDone()) {
                apply(followed);
            }
        }
    }

    private void apply(Map<String, RemoteRun> followed) {
        Read read = inFlight.getNow(null);
        inFlight = null;
        read.running().forEach((runId, running) -> {
            RemoteRun run = followed.get(runId);
            if (run != null) {
                run.status(running, read.at());
            }
        });
    }

    /** Whether each run still runs, by the database; the runs it could not read are left out (read again later). */
    private Map<String, Boolean> runningOf(List<String> runIds) {
        Map<String, Boolean> running = new HashMap<>();
        try {
            for (String runId : runIds) {
                running.put(runId, runs.find(runId).map(r -> r.status() == RunStatus.RUNNING).orElse(false));
            }
        } catch (RuntimeException e) {
            monitor.failed(e);
        }
        return running;
    }

    /** The statuses read for the runs that were due at {@code at} (nanoseconds). */
    private record Read(long at, Map<String, Boolean> running) {
    }
}
