package dev.candor.interfaces.health;

import dev.candor.application.metrics.DependencyMetrics;
import dev.candor.application.startup.StartupReport;
import dev.candor.application.startup.StartupService;
import dev.candor.application.tool.ToolRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: UP only when every phase is READY and the last background probe of the database, Redis and the LLM
 * passed. Reads cached state only, so it never blocks. Its data names what is down, never why: error texts can carry
 * internal host names or a provider's answer, and are logged instead.
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    @Inject
    StartupService startup;

    @Inject
    DependencyProbe probe;

    @Inject
    ToolRegistry tools;

    @Inject
    DependencyMetrics metrics;

    @Override
    public HealthCheckResponse call() {
        StartupReport report = startup.report();
        DependencyProbe.Result dependencies = probe.latest();
        boolean up = report.complete() && dependencies.allUp();
        metrics.readinessChecked(up);
        HealthCheckResponseBuilder response = HealthCheckResponse.named("candor-ready")
                .status(up)
                .withData("phases_ready", report.phasesDone() + "/" + report.phases().size());
        report.current().ifPresent(p -> {
            response.withData("failed_phase", p.phase().name());
            response.withData("phase_state", p.state().name());
        });
        // Which dependency is down, not why: the reasons (hosts, provider answers) are in the server's log only.
        dependencies.failures().keySet().forEach(name -> response.withData(name, "DOWN"));
        // Optional MCP servers that could not be reached: Candor is ready without their tools.
        if (!tools.leftOut().isEmpty()) {
            response.withData("mcp_servers_left_out", String.join(",", tools.leftOut()));
        }
        response.withData("probed_at", java.time.Instant.ofEpochMilli(dependencies.probedAtMillis()).toString());
        return response.build();
    }
}
