package dev.candor.application.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.NotificationOptions;
import jakarta.enterprise.util.TypeLiteral;
import java.lang.annotation.Annotation;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** The ledger's demotion of a lost phase, the estimate of what is left, and which failures count as a lost dependency. */
class PhaseLedgerTest {

    private final Recorded<PhaseEvent> events = new Recorded<>();
    private final Recorded<PhaseLost> losses = new Recorded<>();
    private final PhaseLedger ledger = ledger();

    private PhaseLedger ledger() {
        PhaseLedger created = new PhaseLedger();
        created.events = events;
        created.losses = losses;
        return created;
    }

    private void allReady() {
        for (Phase phase : Phase.values()) {
            ledger.started(phase);
            ledger.ready(phase, 10L * (phase.ordinal() + 1));
        }
    }

    @Test
    void aLostPhaseFailsAndEveryPhaseAfterItWaitsForIt() {
        allReady();
        assertTrue(ledger.isComplete());

        assertTrue(ledger.lost(Phase.CACHE, "connection reset"));

        StartupReport report = ledger.report();
        assertFalse(report.complete());
        assertEquals(PhaseState.READY, report.get(Phase.DEPENDENCIES).state());
        assertEquals(PhaseState.READY, report.get(Phase.DATABASE).state());
        assertEquals(PhaseState.FAILED, report.get(Phase.CACHE).state());
        assertEquals("lost: connection reset", report.get(Phase.CACHE).error());
        for (Phase later : List.of(Phase.SERVICES, Phase.WEBSOCKET, Phase.VALIDATION, Phase.FINALIZE)) {
            assertEquals(PhaseState.PENDING, report.get(later).state(), later.name());
            assertEquals("not run: waiting for CACHE to become ready", report.get(later).error());
        }
        assertEquals(2 * 100 / 7, report.progress());
        assertTrue(ledger.bootCompleted(), "boot finished once; a later loss does not undo that");
        assertEquals(1, losses.fired.size());
        assertEquals(Phase.CACHE, losses.fired.get(0).phase());
        assertEquals(2, losses.fired.get(0).report().phasesDone());
    }

    @Test
    void aPhaseThatIsNotReadyIsNotLostAgain() {
        allReady();
        assertTrue(ledger.lost(Phase.DATABASE, "first"));
        assertFalse(ledger.lost(Phase.DATABASE, "second"), "already FAILED");
        assertFalse(ledger.lost(Phase.CACHE, "later phase"), "already PENDING behind DATABASE");
        assertEquals("lost: first", ledger.get(Phase.DATABASE).error());
        assertEquals(1, losses.fired.size());
    }

    @Test
    void theEstimateIsTheLastSuccessfulDurationsOfWhatIsLeft() {
        assertEquals(OptionalLong.empty(), ledger.report().etaMs(Instant.now()), "nothing ever succeeded");
        allReady(); // durations 10, 20, ... 70 ms
        assertEquals(OptionalLong.of(0), ledger.report().etaMs(Instant.now()));

        ledger.lost(Phase.CACHE, "gone");
        assertEquals(OptionalLong.of(30 + 40 + 50 + 60 + 70), ledger.report().etaMs(Instant.now()));

        ledger.started(Phase.CACHE); // a running phase counts what is left of its last duration
        Instant later = ledger.get(Phase.CACHE).startedAt().plusMillis(20);
        assertEquals(OptionalLong.of(10 + 40 + 50 + 60 + 70), ledger.report().etaMs(later));
        ledger.failed(Phase.CACHE, 5, "still down");
        assertEquals(30, ledger.get(Phase.CACHE).lastReadyMs(), "a failure keeps the last successful duration");
    }

    @Test
    void onlyFailuresToReachRedisOrTheDatabaseAreOutages() {
        assertEquals(Dependency.DATABASE, DependencyMonitor.unreachable(new RuntimeException(
                new SQLException("refused", "08001"))).orElseThrow());
        assertEquals(Dependency.DATABASE, DependencyMonitor.unreachable(
                new java.sql.SQLTransientConnectionException("pool exhausted")).orElseThrow());
        assertTrue(DependencyMonitor.unreachable(new SQLException("duplicate key", "23505")).isEmpty());
        assertTrue(DependencyMonitor.unreachable(new IllegalStateException("bug")).isEmpty());
        assertEquals(Dependency.REDIS, DependencyMonitor.unreachable(new IllegalStateException(
                new redis.clients.jedis.exceptions.JedisConnectionException("Connection reset"))).orElseThrow());
        assertTrue(DependencyMonitor.cannotConnect(new RuntimeException(new java.net.ConnectException("refused"))));
        assertFalse(DependencyMonitor.cannotConnect(new RuntimeException("HTTP 400 bad request")));
    }

    /** Records what is fired; the ledger needs nothing else of CDI's {@link Event}. */
    static final class Recorded<T> implements Event<T> {
        final List<T> fired = new ArrayList<>();

        @Override
        public void fire(T event) {
            fired.add(event);
        }

        @Override
        public <U extends T> CompletionStage<U> fireAsync(U event) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <U extends T> CompletionStage<U> fireAsync(U event, NotificationOptions options) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Event<T> select(Annotation... qualifiers) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <U extends T> Event<U> select(Class<U> subtype, Annotation... qualifiers) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <U extends T> Event<U> select(TypeLiteral<U> subtype, Annotation... qualifiers) {
            throw new UnsupportedOperationException();
        }
    }
}
