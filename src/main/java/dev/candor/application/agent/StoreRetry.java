package dev.candor.application.agent;

import dev.candor.application.DatabaseFailures;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Tries a store until it succeeds, fails for a reason other than reaching the database (trying again cannot help), or
 * its time bound would pass before the next attempt. The first attempt runs on the caller's thread; later ones are
 * scheduled with backoff, so no thread sleeps between attempts. A store that may have committed before its failure
 * must be safe to try again: {@link RunOutcomes} checks the run's status first.
 */
final class StoreRetry {

    /** Runs a task after a delay. */
    @FunctionalInterface
    interface Scheduler {
        void schedule(Runnable task, long delayMs);
    }

    /** How a store ended. */
    sealed interface Outcome<T> {

        record Stored<T>(T value) implements Outcome<T> {
        }

        /** The database stayed unreachable until the bound; {@code last} is the last attempt's failure. */
        record Unreachable<T>(RuntimeException last, int attempts) implements Outcome<T> {
        }

        /** A failure that is not about reaching the database; not tried again. */
        record Failed<T>(RuntimeException failure) implements Outcome<T> {
        }
    }

    private final Scheduler scheduler;
    private final LongSupplier nanoClock;
    private final long firstDelayMs;
    private final long maxDelayMs;
    private final long boundNanos;
    private final Consumer<RuntimeException> unreachable;

    StoreRetry(Scheduler scheduler, LongSupplier nanoClock, long firstDelayMs, long maxDelayMs, Duration bound) {
        this(scheduler, nanoClock, firstDelayMs, maxDelayMs, bound, failure -> { });
    }

    /** {@code unreachable} hears of each failure to reach the database (it re-opens phase DATABASE). */
    StoreRetry(Scheduler scheduler, LongSupplier nanoClock, long firstDelayMs, long maxDelayMs, Duration bound,
               Consumer<RuntimeException> unreachable) {
        this.scheduler = scheduler;
        this.nanoClock = nanoClock;
        this.firstDelayMs = firstDelayMs;
        this.maxDelayMs = maxDelayMs;
        this.boundNanos = bound.toNanos();
        this.unreachable = unreachable;
    }

    /** 250 ms doubling to 2 s, within {@code bound}, on {@code executor}. */
    static StoreRetry on(ScheduledExecutorService executor, Duration bound, Consumer<RuntimeException> unreachable) {
        return new StoreRetry((task, ms) -> executor.schedule(task, ms, TimeUnit.MILLISECONDS), System::nanoTime, 250,
                2_000, bound, unreachable);
    }

    /** Every 3 s for up to 15 minutes (as long as a RUNNING run blocks its thread), on {@code executor}. */
    static StoreRetry inBackground(ScheduledExecutorService executor, Consumer<RuntimeException> unreachable) {
        return new StoreRetry((task, ms) -> executor.schedule(task, ms, TimeUnit.MILLISECONDS), System::nanoTime, 3_000,
                3_000, Duration.ofMinutes(15), unreachable);
    }

    /** Runs {@code store} now and again as needed; {@code then} gets the outcome once, on the last attempt's thread. */
    <T> void attempt(Supplier<T> store, Consumer<Outcome<T>> then) {
        new Attempts<>(store, then, nanoClock.getAsLong()).run(1, firstDelayMs);
    }

    /** {@link #attempt}, but the first attempt too waits the first delay (the store has just failed). */
    <T> void attemptLater(Supplier<T> store, Consumer<Outcome<T>> then) {
        Attempts<T> attempts = new Attempts<>(store, then, nanoClock.getAsLong());
        scheduler.schedule(() -> attempts.run(1, Math.min(maxDelayMs, firstDelayMs * 2)), firstDelayMs);
    }

    private final class Attempts<T> {

        private final Supplier<T> store;
        private final Consumer<Outcome<T>> then;
        private final long startNanos;

        Attempts(Supplier<T> store, Consumer<Outcome<T>> then, long startNanos) {
            this.store = store;
            this.then = then;
            this.startNanos = startNanos;
        }

        void run(int attempt, long nextDelayMs) {
            T value;
            try {
                value = store.get();
            } catch (RuntimeException e) {
                if (!DatabaseFailures.isConnectionFailure(e)) {
                    then.accept(new Outcome.Failed<>(e));
                    return;
                }
                unreachable.accept(e);
                if (nanoClock.getAsLong() - startNanos + TimeUnit.MILLISECONDS.toNanos(nextDelayMs)
                        > boundNanos) {
                    then.accept(new Outcome.Unreachable<>(e, attempt));
                } else {
                    scheduler.schedule(() -> run(attempt + 1, Math.min(maxDelayMs, nextDelayMs * 2)), nextDelayMs);
                }
                return;
            }
            then.accept(new Outcome.Stored<>(value));
        }
    }
}
