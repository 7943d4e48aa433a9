package dev.candor.application.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import jakarta.persistence.PersistenceException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class StoreRetryTest {

    private final VirtualScheduler scheduler = new VirtualScheduler();
    private final List<StoreRetry.Outcome<String>> outcomes = new ArrayList<>();

    @Test
    void storesAtOnceOnTheCallersThreadWhenTheDatabaseIsThere() {
        retry(Duration.ofSeconds(30)).attempt(() -> "m1", outcomes::add);
        assertEquals(List.of(new StoreRetry.Outcome.Stored<>("m1")), outcomes, "not stored on the first attempt");
        assertEquals(List.of(), scheduler.delays, "something was scheduled");
    }

    @Test
    void triesAgainWithDoublingDelaysUntilTheDatabaseIsBack() {
        AtomicInteger attempts = new AtomicInteger();
        retry(Duration.ofSeconds(30)).attempt(() -> {
            if (attempts.incrementAndGet() < 6) {
                throw unreachable();
            }
            return "m1";
        }, outcomes::add);
        assertEquals(List.of(), outcomes, "decided before any retry ran");
        scheduler.runAll();
        assertEquals(List.of(250L, 500L, 1000L, 2000L, 2000L), scheduler.delays);
        assertEquals(List.of(new StoreRetry.Outcome.Stored<>("m1")), outcomes);
    }

    @Test
    void givesUpWhenTheNextAttemptWouldPassTheBound() {
        AtomicInteger attempts = new AtomicInteger();
        retry(Duration.ofMillis(4000)).<String>attempt(() -> {
            attempts.incrementAndGet();
            throw unreachable();
        }, outcomes::add);
        scheduler.runAll();
        // attempts at 0, 250, 750, 1750, 3750 ms; the next (5750) would pass 4000
        assertEquals(5, attempts.get());
        assertEquals(1, outcomes.size(), "the outcome was not given exactly once");
        StoreRetry.Outcome.Unreachable<String> gaveUp = assertInstanceOf(StoreRetry.Outcome.Unreachable.class,
                outcomes.get(0));
        assertEquals(5, gaveUp.attempts());
        assertEquals(3750, scheduler.nowMs);
    }

    @Test
    void aZeroBoundMeansOneAttempt() {
        retry(Duration.ZERO).<String>attempt(() -> {
            throw unreachable();
        }, outcomes::add);
        assertInstanceOf(StoreRetry.Outcome.Unreachable.class, outcomes.get(0));
        assertEquals(List.of(), scheduler.delays);
    }

    @Test
    void aFailureThatIsNotAboutReachingTheDatabaseIsNotTriedAgain() {
        PersistenceException constraint = new PersistenceException("duplicate key", new SQLException("dup", "23505"));
        AtomicInteger attempts = new AtomicInteger();
        retry(Duration.ofSeconds(30)).<String>attempt(() -> {
            attempts.incrementAndGet();
            throw constraint;
        }, outcomes::add);
        scheduler.runAll();
        assertEquals(1, attempts.get());
        StoreRetry.Outcome.Failed<String> failed = assertInstanceOf(StoreRetry.Outcome.Failed.class, outcomes.get(0));
        assertSame(constraint, failed.failure());
    }

    @Test
    void attemptLaterWaitsBeforeTheFirstAttemptToo() {
        StoreRetry fixed = new StoreRetry(scheduler, scheduler::nanos, 3000, 3000, Duration.ofMinutes(15));
        AtomicInteger attempts = new AtomicInteger();
        Supplier<String> store = () -> {
            if (attempts.incrementAndGet() < 3) {
                throw unreachable();
            }
            return "done";
        };
        fixed.attemptLater(store, outcomes::add);
        assertEquals(0, attempts.get(), "attempted at once");
        scheduler.runAll();
        assertEquals(List.of(3000L, 3000L, 3000L), scheduler.delays);
        assertEquals(List.of(new StoreRetry.Outcome.Stored<>("done")), outcomes);
    }

    private StoreRetry retry(Duration bound) {
        return new StoreRetry(scheduler, scheduler::nanos, 250, 2000, bound);
    }

    private static RuntimeException unreachable() {
        return new PersistenceException(new SQLTransientConnectionException("connection refused"));
    }

    /** Runs scheduled tasks in due order on virtual time, on the test's thread. */
    static final class VirtualScheduler implements StoreRetry.Scheduler {

        final List<Long> delays = new ArrayList<>();
        private final List<long[]> due = new ArrayList<>();
        private final List<Runnable> tasks = new ArrayList<>();
        long nowMs;

        @Override
        public void schedule(Runnable task, long delayMs) {
            delays.add(delayMs);
            due.add(new long[] {nowMs + delayMs});
            tasks.add(task);
        }

        long nanos() {
            return TimeUnit.MILLISECONDS.toNanos(nowMs);
        }

        void runAll() {
            while (!tasks.isEmpty()) {
                int next = 0;
                for (int i = 1; i < due.size(); i++) {
                    if (due.get(i)[0] < due.get(next)[0]) {
                        next = i;
                    }
                }
                nowMs = due.remove(next)[0];
                tasks.remove(next).run();
            }
        }
    }
}
