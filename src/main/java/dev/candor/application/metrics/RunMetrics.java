package dev.candor.application.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Agent runs, by rollout cohort: started, ended (outcome and error code), first token, duration, tokens, tool calls. */
@ApplicationScoped
public class RunMetrics extends Meters {

    static final double[] FIRST_TOKEN_BUCKETS = {0.1, 0.25, 0.5, 1, 2, 4, 8, 15};
    static final double[] RUN_BUCKETS = {0.5, 1, 2, 4, 8, 15, 30, 60, 120};

    /** How a run ended. */
    public enum Outcome { COMPLETED, FAILED, CANCELLED, INTERRUPTED }

    /** How a tool call ended. */
    public enum ToolOutcome { SUCCEEDED, FAILED, DENIED, TIMED_OUT, CANCELLED }

    /** The code tag of a run that ended without an error code. */
    public static final String NO_CODE = "none";

    /** The tool tag of a call of a name that is not in the registry (the model's text never becomes a tag). */
    public static final String UNKNOWN_TOOL = "unknown";

    @Inject
    public RunMetrics(MeterRegistry registry) {
        super(registry);
    }

    /** For the container's client proxy only. */
    protected RunMetrics() {
        super(null);
    }

    public void runStarted(String cohort) {
        Counter.builder("candor.runs.started").tag("cohort", cohort).register(registry).increment();
    }

    /** The first streamed text of the run, {@code nanos} after it started. */
    public void firstToken(String cohort, long nanos) {
        record(timer("candor.run.first.token", FIRST_TOKEN_BUCKETS, "cohort", cohort), nanos);
    }

    /** The tokens one model turn used, as the provider reported them. */
    public void tokens(String cohort, long input, long output) {
        Counter.builder("candor.run.tokens").tags("direction", "input", "cohort", cohort).register(registry)
                .increment(input);
        Counter.builder("candor.run.tokens").tags("direction", "output", "cohort", cohort).register(registry)
                .increment(output);
    }

    /** The run sent its terminal event; {@code code} is its error code, or null. */
    public void runEnded(Outcome outcome, String code, String cohort, long nanos) {
        Counter.builder("candor.runs.ended").tags("outcome", tag(outcome), "code", code != null ? code : NO_CODE,
                "cohort", cohort).register(registry).increment();
        record(timer("candor.run.duration", RUN_BUCKETS, "outcome", tag(outcome),
                "cohort", cohort), nanos);
    }

    /** A tool call ended; {@code tool} is its registry name, or {@link #UNKNOWN_TOOL}. */
    public void toolCalled(String tool, ToolOutcome outcome) {
        Counter.builder("candor.tool.calls").tags("tool", tool, "outcome", tag(outcome)).register(registry)
                .increment();
    }
}
