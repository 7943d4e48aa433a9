package dev.candor.application.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One span of a turn or an initialization attempt, which may end on another thread than the one that started it. It
 * ends once: the first of {@link #end()}, {@link #fail(String)} and {@link #cancelled()} wins, later calls do nothing.
 */
public class Step {

    /** The standard attribute that names the class of a failure (OpenTelemetry semantic conventions). */
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    final Span span;
    private final Context context;
    private final AtomicBoolean ended = new AtomicBoolean();

    Step(Span span, Context parent) {
        this.span = span;
        this.context = parent.with(span);
    }

    /** Makes this span current on the calling thread (for its log lines and correlation ids) until closed. */
    public TraceScope activate() {
        return TraceScope.enter(context);
    }

    /** The context whose span is this one: the explicit parent of its children. */
    Context context() {
        return context;
    }

    public void end() {
        if (ended.compareAndSet(false, true)) {
            span.end();
        }
    }

    /** Ends the span as failed; {@code errorType} is low-cardinality: an error code or an exception's class. */
    public void fail(String errorType) {
        if (ended.compareAndSet(false, true)) {
            span.setAttribute(ERROR_TYPE, errorType);
            span.setStatus(StatusCode.ERROR, errorType);
            span.end();
        }
    }

    /** Ends the span because the work was stopped before it finished. */
    public void cancelled() {
        fail("cancelled");
    }

    /** The error type of {@code failure}: its class name. */
    static String typeOf(Throwable failure) {
        return failure.getClass().getName();
    }
}
