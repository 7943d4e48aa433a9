package dev.candor.infrastructure.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.application.ErrorCode;
import dev.candor.application.agent.LlmFailure;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProviderFailuresTest {

    private static final Duration BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(20);

    @Test
    void backsOffExponentiallyWithoutRetryAfter() {
        ProviderHttpException unavailable = new ProviderHttpException(503, "down", null);
        assertEquals(Optional.of(Duration.ofMillis(500)), delay(1, 3, unavailable));
        assertEquals(Optional.of(Duration.ofMillis(1000)), delay(2, 3, unavailable));
        assertEquals(Optional.of(Duration.ofMillis(2000)), delay(3, 3, unavailable));
        assertEquals(Optional.empty(), delay(4, 3, unavailable), "retried past the configured retries");
    }

    @Test
    void retryAfterWinsAndTooLongARetryAfterIsNotWaitedFor() {
        assertEquals(Optional.of(Duration.ofSeconds(3)), delay(1, 2,
                new ProviderHttpException(429, "slow", Duration.ofSeconds(3))));
        assertEquals(Optional.empty(), delay(1, 2, new ProviderHttpException(429, "slow", Duration.ofSeconds(60))));
    }

    @Test
    void retriesOnlyConnectionErrors429And5xx() {
        assertTrue(ProviderFailures.isRetryable(new RuntimeException(new ConnectException("refused"))));
        assertTrue(ProviderFailures.isRetryable(new IOException("reset")));
        assertTrue(ProviderFailures.isRetryable(new ProviderHttpException(500, "", null)));
        assertTrue(ProviderFailures.isRetryable(new ProviderHttpException(429, "", null)));
        assertFalse(ProviderFailures.isRetryable(new ProviderHttpException(400, "", null)));
        assertFalse(ProviderFailures.isRetryable(new ProviderHttpException(401, "", null)));
        assertFalse(ProviderFailures.isRetryable(new IllegalArgumentException("bad")));
    }

    @Test
    void mapsEachKindOfFailureToItsCodeWithoutTheProvidersBody() {
        String body = "{\"error\":\"secret-internal-host\"}";
        assertFailure(ErrorCode.LLM_AUTH_FAILED, false, new ProviderHttpException(401, body, null));
        assertFailure(ErrorCode.LLM_AUTH_FAILED, false, new ProviderHttpException(403, body, null));
        assertFailure(ErrorCode.LLM_UNAVAILABLE, true, new ProviderHttpException(502, body, null));
        assertFailure(ErrorCode.LLM_ERROR, false, new ProviderHttpException(400, body, null));
        assertFailure(ErrorCode.LLM_UNAVAILABLE, true, new IOException("connection refused"));
        LlmFailure limited = assertFailure(ErrorCode.RATE_LIMITED, true,
                new ProviderHttpException(429, body, Duration.ofSeconds(2)));
        assertEquals(2000L, limited.retryAfterMs());
        assertTrue(limited.getMessage().contains("2 s"), limited.getMessage());
    }

    @Test
    void aBrokenStreamIsAnLlmErrorThatSaysTheIncompleteAnswerWasNotKept() {
        LlmFailure failure = ProviderFailures.midStream(new IOException("reset"), 42);
        assertEquals(ErrorCode.LLM_ERROR, failure.code());
        assertTrue(failure.getMessage().contains("42 characters"));
        assertNotNull(failure.correlationId());
    }

    @Test
    void nulBecomesTheReplacementCharacterAndOtherTextIsUntouched() {
        assertEquals("a\uFFFDb", StreamingTurn.clean("a\u0000b"));
        String plain = "plain ünïcødé";
        assertTrue(plain == StreamingTurn.clean(plain), "clean text was copied");
    }

    private static LlmFailure assertFailure(ErrorCode code, boolean retryable, Throwable error) {
        LlmFailure failure = ProviderFailures.beforeStart(error, 1);
        assertEquals(code, failure.code(), failure.getMessage());
        assertEquals(retryable, failure.retryable(), failure.getMessage());
        assertFalse(failure.getMessage().contains("secret-internal-host"), failure.getMessage());
        assertNotNull(failure.correlationId());
        return failure;
    }

    private static Optional<Duration> delay(int attempt, int retries, Throwable error) {
        return ProviderFailures.retryDelay(attempt, retries, error, BACKOFF, MAX_RETRY_AFTER);
    }
}
