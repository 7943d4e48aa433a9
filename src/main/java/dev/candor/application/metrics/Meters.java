package dev.candor.application.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What the metric classes share: the server's registry, timers with explicit histogram buckets, tag values in lower
 * case, and gauges that are removed again when the deployment stops (the registry is the server's and outlives the
 * deployment, so a gauge left behind would keep reading a stopped application).
 */
abstract class Meters {

    final MeterRegistry registry;
    private final List<Meter> gauges = new ArrayList<>();

    /** {@code registry} is the injected one ({@link ServerRegistry}); null only in the container's client proxy. */
    Meters(MeterRegistry registry) {
        this.registry = registry == null ? null : ServerRegistry.behind(registry);
    }

    /** A timer publishing histogram buckets at {@code bucketsSeconds} (and _count, _sum, _max). */
    Timer timer(String name, double[] bucketsSeconds, String... tags) {
        return Timer.builder(name).tags(tags).serviceLevelObjectives(Arrays.stream(bucketsSeconds)
                .mapToObj(s -> Duration.ofNanos((long) (s * 1e9))).toArray(Duration[]::new)).register(registry);
    }

    static void record(Timer timer, long nanos) {
        timer.record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }

    synchronized void gauge(String name, Supplier<Number> value, String... tags) {
        gauges.add(Gauge.builder(name, value).tags(tags).strongReference(true).register(registry));
    }

    @PreDestroy
    synchronized void removeGauges() {
        gauges.forEach(registry::remove);
        gauges.clear();
    }

    /** An enum constant or a name as a tag value: lower case. */
    static String tag(Object value) {
        return String.valueOf(value).toLowerCase(Locale.ROOT);
    }
}
