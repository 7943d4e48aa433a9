package dev.candor.application.agent;

import dev.candor.application.Deadlines;
import dev.candor.application.metrics.RunMetrics;
import dev.candor.application.metrics.RunMetrics.ToolOutcome;
import dev.candor.application.tool.Tool;
import dev.candor.application.tool.ToolRegistry;
import dev.candor.infrastructure.config.CandorConfig;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Runs tool calls on a bounded pool of their own (never on the threads that wait for them), each bounded in time: a
 * call that does not finish in time is interrupted and reported as an error, and so is one that finds the pool full.
 * The outcome reaches the caller exactly once, unless the call is cancelled first.
 */
@ApplicationScoped
public class ToolRunner {

    /** A tool's real result, or its error for the model. */
    public record Outcome(String result, boolean isError, long durationMs) {
    }

    /** A call in progress. */
    public interface Call {
        /** Interrupts the tool and drops its outcome. */
        void cancel();
    }

    @Inject
    ToolRegistry tools;

    @Inject
    Deadlines deadlines;

    @Inject
    CandorConfig config;

    @Inject
    RunMetrics metrics;

    @Resource
    ManagedThreadFactory threads;

    private ThreadPoolExecutor pool;

    @PostConstruct
    void createPool() {
        createPool(config.agent().toolThreads(), threads);
    }

    void createPool(int size, ThreadFactory factory) {
        pool = new ThreadPoolExecutor(size, size, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(size * 16), factory);
        pool.allowCoreThreadTimeOut(true);
    }

    @PreDestroy
    void stopPool() {
        pool.shutdownNow();
    }

    /**
     * Starts {@code toolName} for {@code ownerId}, bounded by {@code timeout} unless the tool has its own bound;
     * {@code done} gets the outcome once.
     */
    public Call run(String toolName, JsonObject arguments, String ownerId, Duration timeout, Consumer<Outcome> done) {
        return run(toolName, tools.find(toolName).filter(candidate -> tools.allows(candidate, ownerId)), arguments,
                ownerId, timeout, done);
    }

    /**
     * As {@link #run(String, JsonObject, String, Duration, Consumer)}, with the tool as the caller found and allowed
     * it ({@code allowed}: empty when unknown or not allowed to the owner), so that what runs is what was decided on
     * (a rollout switch may change in between).
     */
    Call run(String toolName, Optional<Tool> allowed, JsonObject arguments, String ownerId, Duration timeout,
             Consumer<Outcome> done) {
        long start = System.nanoTime();
        Optional<Tool> found = allowed.isPresent() ? allowed : tools.find(toolName);
        Tool tool = allowed.orElse(null);
        Duration bound = tool != null ? tool.timeout().orElse(timeout) : timeout;
        String tag = found.map(Tool::name).orElse(RunMetrics.UNKNOWN_TOOL);
        Running running = new Running(start, start + bound.toNanos(), bound, done,
                outcome -> metrics.toolCalled(tag, outcome));
        if (tool == null) {
            running.finish("error: there is no tool named '" + toolName + "'", true,
                    found.isPresent() ? ToolOutcome.DENIED : ToolOutcome.FAILED);
            return running;
        }
        try {
            running.future = pool.submit(() -> running.execute(tool, arguments, ownerId));
        } catch (RejectedExecutionException e) {
            running.finish("error: too many tool calls are in progress on this server; the tool did not run", true,
                    ToolOutcome.FAILED);
            return running;
        }
        deadlines.watch(running);
        return running;
    }

    private static final class Running implements Call, Deadlines.Watched {
        private final long startNanos;
        private final long dueNanos;
        private final Duration timeout;
        private final Consumer<Outcome> done;
        private final Consumer<ToolOutcome> measured;
        private final AtomicBoolean ended = new AtomicBoolean();
        private volatile Future<?> future;

        Running(long startNanos, long dueNanos, Duration timeout, Consumer<Outcome> done,
                Consumer<ToolOutcome> measured) {
            this.startNanos = startNanos;
            this.measured = measured;
            this.dueNanos = dueNanos;
            this.timeout = timeout;
            this.done = done;
        }

        void execute(Tool tool, JsonObject arguments, String ownerId) {
            String result;
            boolean isError = false;
            try {
                result = tool.execute(arguments, ownerId);
                if (result == null) {
                    result = "";
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return; // cancelled or timed out: that path reports it
            } catch (Exception e) {
                isError = true;
                result = "error: " + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
            }
            finish(result, isError, isError ? ToolOutcome.FAILED : ToolOutcome.SUCCEEDED);
        }

        void finish(String result, boolean isError, ToolOutcome outcome) {
            if (ended.compareAndSet(false, true)) {
                measured.accept(outcome);
                done.accept(new Outcome(result, isError, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos)));
            }
        }

        @Override
        public boolean check(long nowNanos) {
            if (ended.get()) {
                return true;
            }
            if (nowNanos < dueNanos) {
                return false;
            }
            interrupt();
            finish("error: the tool did not finish within " + timeout.toMillis() + " ms and was stopped", true,
                    ToolOutcome.TIMED_OUT);
            return true;
        }

        @Override
        public void cancel() {
            if (ended.compareAndSet(false, true)) {
                measured.accept(ToolOutcome.CANCELLED);
                interrupt();
            }
        }

        private void interrupt() {
            Future<?> running = future;
            if (running != null) {
                running.cancel(true);
            }
        }
    }
}
