package dev.candor.application;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
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
        ErrorReport report = Failures.report(new InitializationFailedException("CACHE", "The cache is down", 2000,
                "c0ffee"), "t");
        assertEquals(ErrorCode.SERVICE_INIT_FAILED, report.code());
        assertEquals("CACHE", report.phase());
        assertEquals(2000L, report.retryAfterMs());
        assertEquals("c0ffee", report.correlationId());
    }

    @Test
    void anUnreachableDatabaseIsServiceUnavailableWithoutItsText() {
        RuntimeException failure = new RuntimeException("could not prepare statement", new java.sql.SQLException(
                "Connection to db.internal:5432 refused", "08001"));
        ErrorReport report = Failures.report(failure, "t");
        assertEquals(ErrorCode.SERVICE_UNAVAILABLE, report.code());
        assertTrue(report.message().startsWith("The database is unavailable"), report.message());
        assertFalse(report.message().contains("db.internal"), report.message());
        assertNotNull(report.correlationId());
        assertNotNull(report.retryAfterMs());
    }

    @Test
    void anExhaustedRedisPoolIsServiceUnavailableAndNoOutage() {
        RuntimeException failure = new redis.clients.jedis.exceptions.JedisException(
                "Could not get a resource from the pool", new java.util.NoSuchElementException("Timeout waiting"));
        ErrorReport report = Failures.report(failure, "t");
        assertEquals(ErrorCode.SERVICE_UNAVAILABLE, report.code());
        assertTrue(report.message().contains("too busy"), report.message());
        assertNotNull(report.retryAfterMs());
        assertTrue(dev.candor.application.startup.DependencyMonitor.unreachable(failure).isEmpty(),
                "an exhausted pool must not demote CACHE (that would replace the client under load)");
    }

    @Test
    void aConstraintViolationIsNotAnOutage() {
        ErrorReport report = Failures.report(new RuntimeException(new java.sql.SQLException("duplicate key", "23505")),
                "t");
        assertEquals(ErrorCode.INTERNAL_ERROR, report.code());
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

    @Test
    void theCorrelationIdIsTheCurrentTraceIdElseRandom() {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        Span span = Span.wrap(SpanContext.create(traceId, "00f067aa0ba902b7", TraceFlags.getSampled(),
                TraceState.getDefault()));
        try (Scope ignored = Context.root().with(span).makeCurrent()) {
            assertEquals(traceId, Failures.correlationId());
            assertEquals(traceId, Failures.unexpected(new IllegalStateException("boom"), "t").correlationId());
        }
        assertTrue(Failures.correlationId().matches("[0-9a-f]{12}"));
    }
}
