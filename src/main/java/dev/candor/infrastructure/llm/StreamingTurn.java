package dev.candor.infrastructure.llm;

import dev.candor.application.ErrorCode;
import dev.candor.application.agent.LlmFailure;
import dev.candor.application.agent.LlmStream;
import dev.candor.application.agent.LlmStreamListener;
import dev.candor.infrastructure.config.LlmConfig;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One streamed model turn. Before the provider's first event, connection errors, 429 and 5xx are retried with backoff
 * (honouring Retry-After); after it nothing is retried, so no text is ever duplicated. The provider must start within
 * the first-token timeout and never fall silent longer than the idle timeout; on either, or on cancel, the upstream
 * exchange is aborted.
 */
final class StreamingTurn implements LlmStream {

    private final StreamingChatModel model;
    private final ChatRequest request;
    private final LlmStreamListener listener;
    private final LlmConfig config;
    private final String configuredModel;
    private final ScheduledExecutorService timers;
    private final CompletableFuture<LlmStream> started = new CompletableFuture<>();

    private int attempt;
    private HttpAbort abort;
    private boolean begun;
    private boolean finished;
    private long lastEventNanos;
    private ScheduledFuture<?> watchdog;
    private int deliveredChars;

    StreamingTurn(StreamingChatModel model, ChatRequest request, LlmStreamListener listener, LlmConfig config,
                  String configuredModel, ScheduledExecutorService timers) {
        this.model = model;
        this.request = request;
        this.listener = listener;
        this.config = config;
        this.configuredModel = configuredModel;
        this.timers = timers;
    }

    CompletableFuture<LlmStream> start() {
        nextAttempt();
        return started;
    }

    @Override
    public void cancel() {
        HttpAbort current;
        synchronized (this) {
            if (finished) {
                return;
            }
            finished = true;
            current = abort;
            stopWatchdog();
        }
        current.abort();
        started.completeExceptionally(new LlmFailure(ErrorCode.LLM_ERROR, "the run was stopped", false, null));
    }

    private void nextAttempt() {
        HttpAbort current = new HttpAbort();
        Handler handler = new Handler(current);
        synchronized (this) {
            if (finished) {
                return;
            }
            attempt++;
            abort = current;
            watchdog = timers.schedule(() -> firstTokenMissed(current), config.firstToken().toMillis(),
                    TimeUnit.MILLISECONDS);
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

    private void firstTokenMissed(HttpAbort timedOut) {
        synchronized (this) {
            if (finished || begun || abort != timedOut) {
                return;
            }
            finished = true;
        }
        timedOut.abort();
        started.completeExceptionally(new LlmFailure(ErrorCode.LLM_TIMEOUT, "The LLM provider did not start answering "
                + "within " + config.firstToken().toMillis() + " ms; no answer was produced. Try again later.", true,
                null));
    }

    private void idleCheck() {
        long silentMs;
        synchronized (this) {
            if (finished) {
                return;
            }
            silentMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastEventNanos);
            if (silentMs < config.idle().toMillis()) {
                watchdog = timers.schedule(this::idleCheck, config.idle().toMillis() - silentMs, TimeUnit.MILLISECONDS);
                return;
            }
            finished = true;
        }
        abort.abort();
        listener.onError(new LlmFailure(ErrorCode.LLM_TIMEOUT, "The LLM provider stopped streaming for "
                + config.idle().toMillis() + " ms after " + deliveredChars + " characters; the answer is incomplete and "
                + "was not kept. Try again.", true, null));
    }

    /** Marks the turn as started by the provider's first event; false for events of a stale or finished attempt. */
    private synchronized boolean accept(HttpAbort source) {
        if (finished || source != abort) {
            return false;
        }
        lastEventNanos = System.nanoTime();
        if (!begun) {
            begun = true;
            stopWatchdog();
            watchdog = timers.schedule(this::idleCheck, config.idle().toMillis(), TimeUnit.MILLISECONDS);
            started.complete(this);
        }
        return true;
    }

    private void failed(HttpAbort source, Throwable error) {
        Duration retryIn;
        synchronized (this) {
            if (finished || source != abort) {
                return;
            }
            if (begun) {
                finished = true;
                stopWatchdog();
            }
            retryIn = begun ? null : retryDelay(error);
            if (!begun && retryIn == null) {
                finished = true;
                stopWatchdog();
            }
        }
        if (begun) {
            listener.onError(new LlmFailure(ErrorCode.LLM_ERROR, "The LLM provider's stream failed after "
                    + deliveredChars + " characters (" + describe(error) + "); the incomplete answer was not kept. "
                    + "Try again.", true, error));
        } else if (retryIn != null) {
            stopWatchdog();
            timers.schedule(this::nextAttempt, retryIn.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            started.completeExceptionally(failure(error));
        }
    }

    /** The delay before the next attempt, or null when the error is not worth retrying (or retries are used up). */
    private Duration retryDelay(Throwable error) {
        if (attempt > config.retries() || !isRetryable(error)) {
            return null;
        }
        Optional<Duration> retryAfter = httpError(error).flatMap(ProviderHttpException::retryAfter);
        if (retryAfter.isPresent()) {
            return retryAfter.get().compareTo(config.maxRetryAfter()) <= 0 ? retryAfter.get() : null;
        }
        return config.retryBackoff().multipliedBy(1L << (attempt - 1));
    }

    private static boolean isRetryable(Throwable error) {
        Optional<ProviderHttpException> http = httpError(error);
        if (http.isPresent()) {
            int status = http.get().statusCode();
            return status == 429 || status >= 500;
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof HttpConnectTimeoutException
                    || t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    private LlmFailure failure(Throwable error) {
        Optional<ProviderHttpException> http = httpError(error);
        String tries = attempt == 1 ? "" : " (after " + attempt + " attempts)";
        if (http.isPresent()) {
            int status = http.get().statusCode();
            String detail = " answered HTTP " + status + tries + ": " + abbreviate(http.get().getMessage());
            if (status == 429) {
                return new LlmFailure(ErrorCode.RATE_LIMITED, "The LLM provider is rate limiting requests;" + detail
                        + ". No answer was produced; try again in a moment.", true, error);
            }
            if (status == 401 || status == 403) {
                return new LlmFailure(ErrorCode.LLM_UNAVAILABLE, "The LLM provider rejected Candor's credentials;"
                        + detail + ". An operator must fix CANDOR_LLM_API_KEY.", false, error);
            }
            if (status >= 500) {
                return new LlmFailure(ErrorCode.LLM_UNAVAILABLE, "The LLM provider failed;" + detail
                        + ". No answer was produced; try again later.", true, error);
            }
            return new LlmFailure(ErrorCode.LLM_ERROR, "The LLM provider rejected the request;" + detail, false, error);
        }
        if (isRetryable(error)) {
            return new LlmFailure(ErrorCode.LLM_UNAVAILABLE, "Cannot reach the LLM provider" + tries + " ("
                    + describe(error) + "). No answer was produced; try again later.", true, error);
        }
        return new LlmFailure(ErrorCode.LLM_ERROR, "The LLM provider call failed (" + describe(error)
                + "). No answer was produced.", true, error);
    }

    private static Optional<ProviderHttpException> httpError(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ProviderHttpException http) {
                return Optional.of(http);
            }
        }
        return Optional.empty();
    }

    private static String describe(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() != null ? ": " + abbreviate(root.getMessage()) : "");
    }

    private static String abbreviate(String text) {
        String oneLine = text == null ? "" : text.replaceAll("\\s+", " ").trim();
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "...";
    }

    private void stopWatchdog() {
        if (watchdog != null) {
            watchdog.cancel(false);
        }
    }

    /** LangChain4j's callbacks for one attempt; events of a superseded attempt are ignored. */
    private final class Handler implements StreamingChatResponseHandler {
        private final HttpAbort source;

        Handler(HttpAbort source) {
            this.source = source;
        }

        @Override
        public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
            if (accept(source) && partial.text() != null && !partial.text().isEmpty()) {
                deliveredChars += partial.text().length();
                listener.onDelta(partial.text());
            }
        }

        @Override
        public void onPartialThinking(PartialThinking thinking) {
            if (accept(source) && thinking.text() != null && !thinking.text().isEmpty()) {
                listener.onThinking(thinking.text());
            }
        }

        @Override
        public void onPartialToolCall(PartialToolCall toolCall) {
            accept(source);
        }

        @Override
        public void onCompleteResponse(ChatResponse response) {
            if (!accept(source)) {
                return; // e.g. the completion LangChain4j reports after an OpenAI stream error
            }
            synchronized (StreamingTurn.this) {
                finished = true;
                stopWatchdog();
            }
            listener.onReply(LangChainMapping.toReply(response, configuredModel));
        }

        @Override
        public void onError(Throwable error) {
            failed(source, error);
        }
    }
}
