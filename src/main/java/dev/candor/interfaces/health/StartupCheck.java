package dev.candor.interfaces.health;

import dev.candor.application.startup.PhaseRecord;
import dev.candor.application.startup.PhaseState;
import dev.candor.application.startup.StartupReport;
import dev.candor.application.startup.StartupService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Startup;

/**
 * Startup probe: DOWN until every phase has been READY once, then UP for the life of the server (a dependency lost
 * later shows in readiness, not here). Data: each phase's state now, run count and duration.
 */
@Startup
@ApplicationScoped
public class StartupCheck implements HealthCheck {

    @Inject
    StartupService startup;

    @Override
    public HealthCheckResponse call() {
        StartupReport report = startup.report();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("candor-startup")
                .status(startup.bootCompleted())
                .withData("progress", report.progress()).withData("attempts", report.attempts());
        for (PhaseRecord p : report.phases()) {
            response.withData(p.phase().name(), p.state() + " runs=" + p.runs() + " ms=" + p.durationMs());
        }
        report.current().filter(p -> p.state() == PhaseState.FAILED).ifPresent(p -> response
                .withData("failed_phase", p.phase().name())); // why: in the server's log, never in health data
        return response.build();
    }
}
