package dev.candor.application.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;

/**
 * Starts the spans of turns and initialization attempts on the server's OpenTelemetry (MicroProfile Telemetry). Tracing
 * is off unless {@code otel.sdk.disabled} is {@code false} (environment {@code OTEL_SDK_DISABLED=false}), as in the
 * server: then the exporter follows the standard {@code OTEL_*} variables. While it is off, spans are no-ops: nothing
 * is recorded or exported, and correlation ids stay random.
 */
@ApplicationScoped
public class Tracing {

    private static final Logger LOG = Logger.getLogger(Tracing.class.getName());

    @Inject
    Config config;

    @Inject
    Instance<Tracer> tracers;

    private Tracer tracer;

    @PostConstruct
    void chooseTracer() {
        boolean on = enabled(config.getOptionalValue("otel.sdk.disabled", String.class));
        tracer = on ? tracers.get() : OpenTelemetry.noop().getTracer("candor");
        LOG.info(() -> "tracing " + (on ? "on: spans go to " + config.getOptionalValue("otel.exporter.otlp.endpoint",
                String.class).orElse("the OpenTelemetry subsystem's endpoint") : "off (OTEL_SDK_DISABLED=false turns "
                + "it on)"));
    }

    /**
     * Whether tracing is on, given the value of {@code otel.sdk.disabled}: only an explicit value other than
     * {@code true} turns it on (the SDK's reading; absent, MicroProfile Telemetry keeps it disabled).
     */
    static boolean enabled(Optional<String> sdkDisabled) {
        return sdkDisabled.map(value -> !"true".equalsIgnoreCase(value.trim())).orElse(false);
    }

    /** A chat turn: its {@code user_message} span starts now, a root. */
    public TurnTrace startTurn() {
        return new TurnTrace(tracer, Context.root());
    }

    /** Initialization attempt number {@code attempt}: its span starts now, a root. */
    public InitializationTrace startInitialization(long attempt) {
        return new InitializationTrace(tracer, attempt);
    }
}
