package dev.candor.application;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletionException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.junit.jupiter.api.Test;

class FailuresTest {

    @Test
    void aCandorExceptionKeepsItsCodeMessageAndWait() {
        ErrorReport report = Failures.report(new CompletionException(new CandorException(ErrorCode.RATE_LIMITED,
                "slow down", true, 1500L, "abc123", null)), "test");
        assertEquals(ErrorCode.RATE_LIMITED, report.code());
        assertEquals("slow down", report.message());
        assertTrue(report.retryable());
        assertEquals(1500L, report.retryAfterMs());
        assertEquals("abc123", report.correlationId());
    }

    @Test
    void anInitializationFailureNamesItsPhase() {
        ErrorReport report = Failures.report(new InitializationFailedException("CACHE", "Redis is down", 2000), "t");
        assertEquals(ErrorCode.SERVICE_INIT_FAILED, report.code());
        assertEquals("CACHE", report.phase());
        assertEquals(2000L, report.retryAfterMs());
    }

    @Test
    void theGatesOpenCircuitIsServiceUnavailable() {
        ErrorReport report = Failures.report(new CircuitBreakerOpenException("open"), "t");
        assertEquals(ErrorCode.SERVICE_UNAVAILABLE, report.code());
        assertNull(report.correlationId());
    }

    @Test
    void anythingElseIsAnInternalErrorWithACorrelationIdAndNoInternalText() {
        ErrorReport report = Failures.report(new NullPointerException("field x of SecretClass is null"), "run 7");
        assertEquals(ErrorCode.INTERNAL_ERROR, report.code());
        assertNotNull(report.correlationId());
        assertEquals(12, report.correlationId().length());
        assertTrue(report.message().contains(report.correlationId()));
        assertFalse(report.message().contains("SecretClass"), report.message());
        assertFalse(report.message().contains("NullPointerException"), report.message());
    }

    @Test
    void correlationIdsDiffer() {
        assertFalse(Failures.correlationId().equals(Failures.correlationId()));
    }
}
