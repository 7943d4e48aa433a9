package dev.candor.application.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicInteger;

/** Chat connections: opened, closed, open now, how their setup ended, how long until {@code ready}; frames in and out. */
@ApplicationScoped
public class ConnectionMetrics extends Meters {

    /** How a connection's setup ended: sent {@code ready}, sent SERVICE_INIT_FAILED, left first, or was refused. */
    public enum Setup { READY, INIT_FAILED, CLIENT_LEFT, REFUSED }

    /** The client frame type of a frame that could not be decoded (malformed, unknown, binary, oversized). */
    public static final String INVALID_FRAME = "invalid";

    private final AtomicInteger open = new AtomicInteger();

    @Inject
    public ConnectionMetrics(MeterRegistry registry) {
        super(registry);
    }

    /** For the container's client proxy only. */
    protected ConnectionMetrics() {
        super(null);
    }

    @PostConstruct
    void start() {
        gauge("candor.connections.open", open::get);
    }

    /** Registers the gauge as the application starts, so it reads 0 before the first connection. */
    void started(@Observes @Initialized(ApplicationScoped.class) Object event) {
        // creating the bean is the point
    }

    public void opened() {
        open.incrementAndGet();
        registry.counter("candor.connections.opened").increment();
    }

    /**
     * A connection closed with {@code closeCode}. The tag is the code for the codes RFC 6455 defines (1000-1015),
     * "other" for the rest: a client chooses its own close code, and must not create series at will.
     */
    public void closed(int closeCode) {
        open.decrementAndGet();
        Counter.builder("candor.connections.closed").tag("code", closeCodeTag(closeCode)).register(registry)
                .increment();
    }

    static String closeCodeTag(int closeCode) {
        return closeCode >= 1000 && closeCode <= 1015 ? Integer.toString(closeCode) : "other";
    }

    public void setUp(Setup outcome) {
        Counter.builder("candor.connections.setup").tag("outcome", tag(outcome)).register(registry).increment();
    }

    /** {@code ready} was sent {@code nanos} after the WebSocket opened. */
    public void readyAfter(long nanos) {
        record(timer("candor.connection.ready.time", InitMetrics.WAIT_BUCKETS), nanos);
    }

    /** A client frame of {@code type} (a protocol frame type, or {@link #INVALID_FRAME}). */
    public void frameIn(String type) {
        Counter.builder("candor.frames.in").tag("type", type).register(registry).increment();
    }

    /** An error frame with {@code code} was sent. */
    public void errorOut(Object code) {
        Counter.builder("candor.errors.out").tag("code", String.valueOf(code)).register(registry).increment();
    }
}
