package dev.candor.infrastructure.llm;

import dev.candor.application.ErrorCode;
import dev.candor.application.Failures;
import dev.candor.application.agent.LlmFailure;
import dev.candor.application.metrics.ProviderMetrics.RetryReason;
import java.io.IOException;
import java.net.http.HttpConnectTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * What a provider failure means: whether it is worth another attempt and after how long (Retry-After first, else
 * exponential backoff), and what the user is told. Clients get a sentence and a correlation id; the provider's own
 * error body goes only to the server log under that id.
 */
final class ProviderFailures {

    private static final Logger LOG = Logger.getLogger(ProviderFailures.class.getName());

    private ProviderFailures() {
    }

    /**
     * The delay before attempt {@code attempt + 1}, or empty when {@code error} is not worth retrying or the
     * {@code retries} are used up. A Retry-After longer than {@code maxRetryAfter} is not waited for.
     */
    static Optional<Duration> retryDelay(int attempt, int retries, Throwable error, Duration backoff,
                                         Duration maxRetryAfter) {
        if (attempt > retries || !isRetryable(error)) {
            return Optional.empty();
        }
        Optional<Duration> retryAfter = httpError(error).flatMap(ProviderHttpException::retryAfter);
        if (retryAfter.isPresent()) {
            return retryAfter.get().compareTo(maxRetryAfter) <= 0 ? retryAfter : Optional.empty();
        }
        return Optional.of(backoff.multipliedBy(1L << Math.min(20, attempt - 1)));
    }

    /** Connection errors, 429 and 5xx. */
    static boolean isRetryable(Throwable error) {
        Optional<ProviderHttpException> http = httpError(error);
        if (http.isPresent()) {
            int status = http.get().statusCode();
            return status == 429 || status >= 500;
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof HttpConnectTimeoutException || t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    /** Why a retryable {@code error} is retried: the provider's 429, its 5xx, or the network. */
    static RetryReason retryReason(Throwable error) {
        return httpError(error).map(http -> http.statusCode() == 429 ? RetryReason.RATE_LIMITED
                : RetryReason.UNAVAILABLE).orElse(RetryReason.NETWORK);
    }

    /** True when the provider answered 429. */
    static boolean isRateLimited(Throwable error) {
        return httpError(error).filter(http -> http.statusCode() == 429).isPresent();
    }

    /** The failure of a turn that never started streaming, after {@code attempts} attempts. */
    static LlmFailure beforeStart(Throwable error, int attempts) {
        Optional<ProviderHttpException> http = httpError(error);
        String tries = attempts == 1 ? "" : " (after " + attempts + " attempts)";
        String id = logged(error, attempts);
        if (http.isPresent()) {
            int status = http.get().statusCode();
            if (status == 429) {
                Long wait = http.get().retryAfter().map(Duration::toMillis).orElse(null);
                return new LlmFailure(ErrorCode.RATE_LIMITED, "The LLM provider is rate limiting requests" + tries
                        + "; no answer was produced. Try again " + (wait != null ? "in " + (wait + 999) / 1000
                        + " s." : "in a moment."), true, wait, id, error);
            }
            if (status == 401 || status == 403) {
                return new LlmFailure(ErrorCode.LLM_AUTH_FAILED, "The LLM provider rejected Candor's credentials (HTTP "
                        + status + "); no answer was produced. An operator must fix CANDOR_LLM_API_KEY.", false,
                        null, id, error);
            }
            if (status >= 500) {
                return new LlmFailure(ErrorCode.LLM_UNAVAILABLE, "The LLM provider failed (HTTP " + status + ")" + tries
                        + "; no answer was produced. Try again later.", true, null, id, error);
            }
            return new LlmFailure(ErrorCode.LLM_ERROR, "The LLM provider rejected the request (HTTP " + status
                    + "); no answer was produced.", false, null, id, error);
        }
        if (isRetryable(error)) {
            return new LlmFailure(ErrorCode.LLM_UNAVAILABLE, "Cannot reach the LLM provider" + tries
                    + "; no answer was produced. Try again later.", true, null, id, error);
        }
        return new LlmFailure(ErrorCode.LLM_ERROR, "The LLM provider call failed; no answer was produced.", true,
                null, id, error);
    }

    /** The provider did not start answering within {@code bound}. */
    static LlmFailure noFirstToken(Duration bound) {
        return new LlmFailure(ErrorCode.LLM_TIMEOUT, "The LLM provider did not start answering within "
                + bound.toMillis() + " ms; no answer was produced. Try again later.", true, null);
    }

    /** The provider fell silent for {@code bound} after {@code chars} characters. */
    static LlmFailure stalled(Duration bound, int chars) {
        return new LlmFailure(ErrorCode.LLM_TIMEOUT, "The LLM provider stopped streaming for " + bound.toMillis()
                + " ms after " + chars + " characters; the incomplete answer was not kept. Try again.", true, null);
    }

    /** The failure of a turn whose stream broke after {@code chars} characters. */
    static LlmFailure midStream(Throwable error, int chars) {
        String id = logged(error, 1);
        return new LlmFailure(ErrorCode.LLM_ERROR, "The LLM provider's stream broke after " + chars + " characters; "
                + "the incomplete answer was not kept. Try again.", true, null, id, error);
    }

    /** Logs the provider's failure in full (status, body, exception) under a new correlation id. */
    private static String logged(Throwable error, int attempts) {
        String id = Failures.correlationId();
        Optional<ProviderHttpException> http = httpError(error);
        LOG.warning(() -> "[" + id + "] LLM provider failure after " + attempts + " attempt(s): " + http
                .map(h -> "HTTP " + h.statusCode() + " body: " + abbreviate(h.getMessage())).orElse(describe(error)));
        return id;
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
        return root.getClass().getName() + (root.getMessage() != null ? ": " + abbreviate(root.getMessage()) : "");
    }

    private static String abbreviate(String text) {
        String oneLine = text == null ? "" : text.replaceAll("\\s+", " ").trim();
        return oneLine.length() <= 500 ? oneLine : oneLine.substring(0, 500) + "...";
    }
}
