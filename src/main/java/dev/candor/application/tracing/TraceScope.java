package dev.candor.application.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import org.jboss.logging.MDC;

/**
 * A trace context made current on this thread, for code that runs on a thread the context did not start on (managed
 * executors, the HTTP client's threads): its span is {@link Span#current()}, so a correlation id made meanwhile is the
 * trace id, and the log lines written meanwhile carry {@code traceId} and {@code spanId} in the MDC (the log pattern
 * prints them as {@code trace}). Closing it restores what was current before.
 */
public final class TraceScope implements AutoCloseable {

    static final String TRACE_ID = "traceId";
    static final String SPAN_ID = "spanId";
    /** The two ids as the pattern formatter prints them, present only while a span is current. */
    static final String TRACE = "trace";

    private final Scope scope;
    private final Object previousTrace;
    private final Object previousTraceId;
    private final Object previousSpanId;
    private final boolean logged;

    private TraceScope(Context context) {
        this.scope = context.makeCurrent();
        SpanContext span = Span.fromContext(context).getSpanContext();
        this.logged = span.isValid();
        if (logged) {
            previousTrace = MDC.put(TRACE, "trace=" + span.getTraceId() + " span=" + span.getSpanId() + " ");
            previousTraceId = MDC.put(TRACE_ID, span.getTraceId());
            previousSpanId = MDC.put(SPAN_ID, span.getSpanId());
        } else {
            previousTrace = null;
            previousTraceId = null;
            previousSpanId = null;
        }
    }

    /** Makes {@code context} current until {@link #close()}. */
    public static TraceScope enter(Context context) {
        return new TraceScope(context);
    }

    @Override
    public void close() {
        if (logged) {
            restore(TRACE, previousTrace);
            restore(TRACE_ID, previousTraceId);
            restore(SPAN_ID, previousSpanId);
        }
        scope.close();
    }

    private static void restore(String key, Object previous) {
        if (previous == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, previous);
        }
    }
}
