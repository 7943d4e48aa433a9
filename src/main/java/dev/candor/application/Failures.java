package dev.candor.application;

import dev.candor.application.startup.Dependency;
import dev.candor.application.startup.DependencyMonitor;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

/**
 * The one mapping from a failure to what a client is told. The WebSocket, the REST resources, the initialization gate
 * and the runs all use it. A {@link CandorException} says its own code; the initialization gate's open circuit is
 * SERVICE_UNAVAILABLE (the LLM's open circuit never gets here: the LLM adapter reports it as LLM_UNAVAILABLE); anything
 * else is a fault of the server: INTERNAL_ERROR with a correlation id, logged with its stack trace under that id, and
 * never its text.
 */
public final class Failures {

    private static final Logger LOG = Logger.getLogger(Failures.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();

    private Failures() {
    }

    /** The report for {@code failure}; {@code context} (e.g. "run 42") goes into the log line of an unexpected one. */
    static final long RETRY_AFTER_UNAVAILABLE_MS = 2_000;

    public static ErrorReport report(Throwable failure, String context) {
        Throwable cause = unwrap(failure);
        if (cause instanceof InitializationFailedException init) {
            return new ErrorReport(init.code(), init.getMessage(), init.retryable(), init.retryAfterMs(), init.phase(),
                    init.correlationId());
        }
        if (cause instanceof CandorException candor) {
            return new ErrorReport(candor.code(), candor.getMessage(), candor.retryable(), candor.retryAfterMs(), null,
                    candor.correlationId());
        }
        if (cause instanceof CircuitBreakerOpenException) {
            return new ErrorReport(ErrorCode.SERVICE_UNAVAILABLE, "Candor is unavailable: initialization failed "
                    + "repeatedly, so new attempts are paused. Reconnect later; an operator should check /health/ready.",
                    true, null, null, null);
        }
        if (DependencyMonitor.redisPoolExhausted(cause)) {
            return busy(cause, context);
        }
        Optional<Dependency> down = DependencyMonitor.unreachable(cause);
        if (down.isPresent()) {
            return unavailable(down.get(), cause, context);
        }
        return unexpected(cause, context);
    }

    /** SERVICE_UNAVAILABLE for a dependency that could not be reached: logged under a correlation id, told plainly. */
    static ErrorReport unavailable(Dependency dependency, Throwable cause, String context) {
        String id = correlationId();
        LOG.log(Level.WARNING, "[" + id + "] " + context + " failed: " + dependency + " unreachable: " + cause);
        LOG.log(Level.FINE, "[" + id + "] detail", cause);
        String what = dependency.userName();
        return new ErrorReport(ErrorCode.SERVICE_UNAVAILABLE, Character.toUpperCase(what.charAt(0)) + what.substring(1)
                + " is unavailable right now, so this could not be done; Candor is reconnecting to it. Try again in a "
                + "few seconds.", true, RETRY_AFTER_UNAVAILABLE_MS, null, id);
    }

    /** SERVICE_UNAVAILABLE while every pooled Redis connection of this node is in use: retry shortly. */
    static ErrorReport busy(Throwable cause, String context) {
        String id = correlationId();
        LOG.log(Level.WARNING, "[" + id + "] " + context + " failed: no free Redis connection (all "
                + "candor.redis.max-connections in use for candor.redis.max-wait-ms): " + cause);
        return new ErrorReport(ErrorCode.SERVICE_UNAVAILABLE, "Candor is too busy right now, so this could not be done. "
                + "Try again in a few seconds.", true, RETRY_AFTER_UNAVAILABLE_MS, null, id);
    }

    /** INTERNAL_ERROR for a fault of the server: logged in full under a new correlation id, reported without detail. */
    public static ErrorReport unexpected(Throwable cause, String context) {
        String id = correlationId();
        LOG.log(Level.SEVERE, "[" + id + "] " + context + " failed unexpectedly: " + cause, cause);
        return new ErrorReport(ErrorCode.INTERNAL_ERROR, "Candor hit an internal error (" + context + "). Try again; if "
                + "it persists, give an operator the correlation id " + id + ".", true, null, null, id);
    }

    /**
     * The id that ties a client's error to the server's log line: the trace id (32 hex digits) while a span is current,
     * so an operator goes from the error to its trace; else a short random one (12 hex digits).
     */
    public static String correlationId() {
        SpanContext span = Span.current().getSpanContext();
        if (span.isValid()) {
            return span.getTraceId();
        }
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
