package dev.candor.application.startup;

import dev.candor.application.metrics.InitMetrics;
import dev.candor.infrastructure.config.CandorConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The phase states, read by anyone without a lock. The orchestrator writes the phases it runs (under its write lock);
 * {@link #lost} demotes a READY phase from any thread, with a compare-and-set, when its dependency is lost. Every
 * change is published as a {@link PhaseEvent}, a loss also as a {@link PhaseLost}. The last successful duration of
 * each phase is kept in the data directory, so estimates work from the next start on.
 */
@ApplicationScoped
public class PhaseLedger {

    private static final Logger LOG = Logger.getLogger(PhaseLedger.class.getName());
    static final String TIMINGS_FILE = "phase-timings.properties";

    private final AtomicReferenceArray<PhaseRecord> records = new AtomicReferenceArray<>(
            Arrays.stream(Phase.values()).map(PhaseRecord::pending).toArray(PhaseRecord[]::new));
    private volatile long attempts;
    private volatile boolean bootCompleted;
    private volatile CompletableFuture<StartupReport> attemptUnderWay;

    @Inject
    Event<PhaseEvent> events;

    @Inject
    Event<PhaseLost> losses;

    @Inject
    CandorConfig config;

    @Inject
    InitMetrics metrics;

    /** Where the timings are kept; null (not kept) until the container has configured this bean. */
    private Path timingsFile;

    @PostConstruct
    void start() {
        metrics.trackPhaseStates(List.of(Phase.values()), List.of(PhaseState.values()), phase -> get(phase).state());
        loadTimings();
    }

    void loadTimings() {
        Path file = config.dataDir().resolve(TIMINGS_FILE);
        timingsFile = file;
        if (!Files.isRegularFile(file)) {
            return;
        }
        Properties timings = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            timings.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            LOG.log(Level.FINE, "ignoring unreadable " + file, e);
            return;
        }
        for (Phase phase : Phase.values()) {
            try {
                long ms = Long.parseLong(timings.getProperty(phase.name(), "-1"));
                records.set(phase.ordinal(), get(phase).withLastReadyMs(ms));
            } catch (NumberFormatException e) {
                // an unknown duration stays unknown
            }
        }
    }

    /** Keeps the last successful duration of every phase for the next start's estimates; best effort. */
    void saveTimings() {
        Path file = timingsFile;
        if (file == null) {
            return;
        }
        Properties timings = new Properties();
        for (Phase phase : Phase.values()) {
            timings.setProperty(phase.name(), Long.toString(get(phase).lastReadyMs()));
        }
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling(TIMINGS_FILE + ".tmp");
            try (Writer writer = Files.newBufferedWriter(temporary)) {
                timings.store(writer, "last successful duration of each startup phase, in ms (for estimates)");
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.log(Level.FINE, "could not keep phase timings in " + file, e);
        }
    }

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

    /** True once every phase has been READY at the same time: boot has finished, whatever happened since. */
    public boolean bootCompleted() {
        return bootCompleted;
    }

    /** Number of initialization attempts that have finished; a caller that saw N can tell when attempt N+1 is done. */
    public long attempts() {
        return attempts;
    }

    /**
     * The dependency of a READY phase was lost: the phase becomes FAILED and every READY phase after it PENDING,
     * waiting for it, exactly as at boot. False (and nothing changes) when the phase is not READY: it is already down
     * or being run again.
     */
    public boolean lost(Phase phase, String reason) {
        PhaseRecord current = get(phase);
        if (!current.isReady() || !records.compareAndSet(phase.ordinal(), current, current.lost(reason))) {
            return false;
        }
        for (Phase later : Phase.values()) {
            if (later.ordinal() > phase.ordinal()) {
                records.updateAndGet(later.ordinal(), r -> r.isReady() ? r.blockedBy(phase) : r);
            }
        }
        StartupReport report = report();
        events.fire(new PhaseEvent(phase, PhaseState.FAILED, report.phasesDone(), Phase.total(), 0, reason));
        losses.fire(new PhaseLost(phase, reason, report));
        return true;
    }

    void started(Phase phase) {
        update(phase, get(phase).running(Instant.now()));
    }

    void ready(Phase phase, long durationMs) {
        update(phase, get(phase).ready(durationMs));
        if (isComplete()) {
            bootCompleted = true;
            saveTimings();
        }
    }

    void failed(Phase phase, long durationMs, String error) {
        update(phase, get(phase).failed(durationMs, error));
    }

    void blocked(Phase phase, Phase by) {
        records.set(phase.ordinal(), get(phase).blockedBy(by));
    }

    void attemptStarted() {
        attemptUnderWay = new CompletableFuture<>();
    }

    void attemptFinished() {
        attempts++;
        CompletableFuture<StartupReport> ended = attemptUnderWay;
        attemptUnderWay = null;
        if (ended != null) {
            ended.complete(report());
        }
    }

    /** Completes with the report of the attempt running now, when one is; empty between attempts. */
    public Optional<CompletableFuture<StartupReport>> attemptUnderWay() {
        return Optional.ofNullable(attemptUnderWay);
    }

    private void update(Phase phase, PhaseRecord record) {
        records.set(phase.ordinal(), record);
        events.fire(new PhaseEvent(phase, record.state(), report().phasesDone(), Phase.total(), record.durationMs(),
                record.error()));
    }
}
