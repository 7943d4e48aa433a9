package dev.candor.infrastructure.llm;

import dev.candor.application.Deadlines;
import dev.candor.application.ErrorCode;
import dev.candor.application.agent.LlmFailure;
import dev.candor.application.agent.LlmStream;
import dev.candor.application.agent.LlmStreamListener;
import dev.candor.application.metrics.ProviderMetrics;
import dev.candor.application.tracing.TraceScope;
import dev.candor.infrastructure.config.LlmConfig;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import io.opentelemetry.context.Context;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One streamed model turn, cancellable at every stage. Before the provider's first event, connection errors, 429 and
 * 5xx are retried with backoff (honouring Retry-After); after it nothing is retried, so no text is ever duplicated. The
 * provider must start within the first-token timeout and never fall silent longer than the idle timeout: both are
 * checked by the shared {@link Deadlines} sweep, so a turn leaves no timer behind. Text is relayed as the provider sent
 * it, except that U+0000, which no database column can hold, becomes U+FFFD everywhere (deltas and stored answer).
 */
final class StreamingTurn implements LlmStream, Deadlines.Watched {

    private final StreamingChatModel model;
    private final ChatRequest request;
    private final LlmStreamListener listener;
    private final LlmConfig config;
    private final String configuredModel;
    private final ScheduledExecutorService scheduler;
    private final ProviderMetrics metrics;
    private final CompletableFuture<Void> admitted = new CompletableFuture<>();
    /** The trace context of whoever opened the turn, current while its failure is described and reported. */
    private final Context opener = Context.current();

    private int attempt;
    private HttpAbort abort;
    private boolean begun;
    private boolean finished;
    private long lastEventNanos;
    private long firstTokenDueNanos = Long.MAX_VALUE;
    private Future<?> retry;
    private volatile int deliveredChars;


    StreamingTurn(StreamingChatModel model, ChatRequest request, LlmStreamListener listener, LlmConfig config,
                  String configuredModel, ScheduledExecutorService scheduler, ProviderMetrics metrics) {
        this.metrics = metrics;
        this.model = model;
        this.request = request;
        this.listener = listener;
        this.config = config;
        this.configuredModel = configuredModel;
        this.scheduler = scheduler;
    }

    /**
     * Sends the first attempt. The stage completes once the turn is past the point where the provider's availability
     * is in question (it started streaming, was cancelled, or rejected the request), and fails with
     * {@link ProviderUnavailableException} when the provider could not be reached, failed or timed out: what the
     * circuit breaker counts. A 429 limits this turn only and does not count.
     */
    CompletionStage<Void> start() {
        nextAttempt();
        return admitted;
    }

    /** Ends the turn before it was sent, e.g. because the circuit breaker is open. */
    void refuse(LlmFailure failure) {
        synchronized (this) {
            if (finished) {
                return;
            }
            finished = true;
        }
        admitted.complete(null);
        listener.onError(failure);
    }

    @Override
    public void cancel() {
        HttpAbort current;
        Future<?> pending;
        synchronized (this) {
            if (finished) {
                return;
            }
            finished = true;
            current = abort;
            pending = retry;
        }
        if (pending != null) {
            pending.cancel(false);
        }
        if (current != null) {
            current.abort();
        }
        admitted.complete(null);
    }

    @Override
    public boolean check(long nowNanos) {
        HttpAbort timedOut;
        boolean beforeFirst;
        synchronized (this) {
            if (finished) {
                return true;
            }
            beforeFirst = !begun;
            if (beforeFirst ? nowNanos < firstTokenDueNanos
                    : nowNanos - lastEventNanos < config.idle().toNanos()) {
                return false;
            }
            finished = true;
            timedOut = abort;
        }
        if (timedOut != null) {
            timedOut.abort();
        }
        LlmFailure failure = beforeFirst ? ProviderFailures.noFirstToken(config.firstToken())
                : ProviderFailures.stalled(config.idle(), deliveredChars);
        if (beforeFirst) {
            admitted.completeExceptionally(new ProviderUnavailableException(failure));
        }
        scheduler.execute(() -> listener.onError(failure)); // the sweep itself never waits on a run
        return true;
    }

    private void nextAttempt() {
        HttpAbort current = new HttpAbort();
        TurnHandler handler = new TurnHandler(this, current, listener, configuredModel);
        synchronized (this) {
            if (finished) {
                return;
            }
            attempt++;
            abort = current;
            retry = null;
            firstTokenDueNanos = System.nanoTime() + config.firstToken().toNanos();
        }
        CancellableHttpClient.CURRENT.set(current);
        try {
            model.chat(request, handler);
        } catch (RuntimeException e) {
            handler.onError(e);
        } finally {
            CancellableHttpClient.CURRENT.remove();
        }
    }

    void failed(HttpAbort source, Throwable error) {
        boolean midStream;
        int attempts;
        synchronized (this) {
            if (finished || source != abort) {
                return;
            }
            if (ProviderFailures.isRateLimited(error)) {
                metrics.rateLimited();
            }
            midStream = begun;
            attempts = attempt;
            if (!begun) {
                Optional<Duration> retryIn = ProviderFailures.retryDelay(attempt, config.retries(), error,
                        config.retryBackoff(), config.maxRetryAfter());
                if (retryIn.isPresent()) {
                    metrics.retried(ProviderFailures.retryReason(error));
                    firstTokenDueNanos = Long.MAX_VALUE;
                    retry = scheduler.schedule(this::nextAttempt, retryIn.get().toMillis(), TimeUnit.MILLISECONDS);
                    return;
                }
            }
            finished = true;
        }
        try (TraceScope ignored = TraceScope.enter(opener)) {
            report(error, midStream, attempts);
        }
    }

    /** Tells the listener how the turn failed, with the provider's detail logged under the correlation id. */
    private void report(Throwable error, boolean midStream, int attempts) {
        if (midStream) {
            listener.onError(ProviderFailures.midStream(error, deliveredChars));
            return;
        }
        LlmFailure failure = ProviderFailures.beforeStart(error, attempts);
        if (failure.code() == ErrorCode.LLM_UNAVAILABLE) {
            admitted.completeExceptionally(new ProviderUnavailableException(failure));
        } else {
            admitted.complete(null);
        }
        listener.onError(failure);
    }

    /** Marks the provider's event as seen; false for events of a stale or finished attempt. */
    boolean accept(HttpAbort source) {
        boolean first;
        synchronized (this) {
            if (finished || source != abort) {
                return false;
            }
            lastEventNanos = System.nanoTime();
            first = !begun;
            begun = true;
        }
        if (first) {
            admitted.complete(null);
        }
        return true;
    }

    synchronized boolean finish(HttpAbort source) {
        if (finished || source != abort) {
            return false;
        }
        finished = true;
        return true;
    }

    /** Counts what was relayed, for the message of a stream that breaks or stalls. */
    void delivered(int chars) {
        deliveredChars += chars;
    }

    static String clean(String text) {
        return text.indexOf('\0') < 0 ? text : text.replace('\0', '\uFFFD');
    }
}
