package dev.candor.interfaces.health;

import jakarta.enterprise.context.ApplicationScoped;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Liveness: the JVM has no deadlocked threads. Never touches a remote system, so a dead dependency never kills the pod. */
@Liveness
@ApplicationScoped
public class LivenessCheck implements HealthCheck {

    @Override
    public HealthCheckResponse call() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[] deadlocked = threads.findDeadlockedThreads();
        Runtime runtime = Runtime.getRuntime();
        return HealthCheckResponse.named("candor-live").status(deadlocked == null)
                .withData("deadlocked_threads", deadlocked == null ? 0 : deadlocked.length)
                .withData("heap_used_mb", (runtime.totalMemory() - runtime.freeMemory()) >> 20)
                .withData("live_threads", threads.getThreadCount())
                .withData("peak_threads", threads.getPeakThreadCount())
                .build();
    }
}
