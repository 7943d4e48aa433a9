package dev.candor.application.startup;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The phase states. Written only by the orchestrator (under its write lock), read by anyone without waiting on that
 * lock. Every change is published as a {@link PhaseEvent}.
 */
@ApplicationScoped
public class PhaseLedger {

    private final AtomicReferenceArray<PhaseRecord> records = new AtomicReferenceArray<>(
            Arrays.stream(Phase.values()).map(PhaseRecord::pending).toArray(PhaseRecord[]::new));
    private volatile long attempts;

    @Inject
    Event<PhaseEvent> events;

    public StartupReport report() {
        PhaseRecord[] snapshot = new PhaseRecord[records.length()];
        for (int i = 0; i < snapshot.length; i++) {
            snapshot[i] = records.get(i);
        }
        return new StartupReport(List.of(snapshot), attempts);
    }

    public PhaseRecord get(Phase phase) {
        return records.get(phase.ordinal());
    }

    public boolean isComplete() {
        for (int i = 0; i < records.length(); i++) {
            if (!records.get(i).isReady()) {
                return false;
            }
        }
        return true;
    }

    /** Number of initialization attempts that have finished; a caller that saw N can tell when attempt N+1 is done. */
    public long attempts() {
        return attempts;
    }

    void started(Phase phase) {
        update(phase, get(phase).running(Instant.now()));
    }

    void ready(Phase phase, long durationMs) {
        update(phase, get(phase).ready(durationMs));
    }

    void failed(Phase phase, long durationMs, String error) {
        update(phase, get(phase).failed(durationMs, error));
    }

    void blocked(Phase phase, Phase by) {
        records.set(phase.ordinal(), get(phase).blockedBy(by));
    }

    void attemptFinished() {
        attempts++;
    }

    private void update(Phase phase, PhaseRecord record) {
        records.set(phase.ordinal(), record);
        events.fire(new PhaseEvent(phase, record.state(), report().phasesDone(), Phase.total(), record.durationMs(),
                record.error()));
    }
}
