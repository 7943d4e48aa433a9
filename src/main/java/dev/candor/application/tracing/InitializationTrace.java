package dev.candor.application.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;

/**
 * The spans of one initialization attempt: {@code initialization}, with one child {@code phase <name>} per phase it
 * ran, each with its outcome.
 */
public final class InitializationTrace extends Step {

    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("candor.init.attempt");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("candor.init.outcome");
    static final AttributeKey<String> PHASE = AttributeKey.stringKey("candor.phase");
    static final AttributeKey<String> PHASE_OUTCOME = AttributeKey.stringKey("candor.phase.outcome");

    private final Tracer tracer;

    InitializationTrace(Tracer tracer, long attempt) {
        super(tracer.spanBuilder("initialization").setSpanKind(SpanKind.INTERNAL).setParent(Context.root())
                .setAttribute(ATTEMPT, attempt).startSpan(), Context.root());
        this.tracer = tracer;
    }

    /** Phase {@code name} (lower case, as in the metrics) starts. */
    public PhaseRun phase(String name) {
        return new PhaseRun(tracer.spanBuilder("phase " + name).setParent(context()).setAttribute(PHASE, name)
                .startSpan(), context());
    }

    /** The attempt ended: {@code ready} or {@code failed}. */
    public void ended(boolean ready) {
        span.setAttribute(OUTCOME, ready ? "ready" : "failed");
        if (ready) {
            end();
        } else {
            fail("initialization_failed");
        }
    }

    /** One phase of the attempt. */
    public static final class PhaseRun extends Step {

        PhaseRun(Span span, Context parent) {
            super(span, parent);
        }

        public void succeeded() {
            span.setAttribute(PHASE_OUTCOME, "succeeded");
            end();
        }

        public void failed(Throwable failure) {
            span.setAttribute(PHASE_OUTCOME, "failed");
            fail(typeOf(failure));
        }
    }
}
