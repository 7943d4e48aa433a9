package dev.candor.application.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.testsupport.Deployments;
import dev.candor.testsupport.Http;
import dev.candor.testsupport.llm.LlmProviderStub;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** With every dependency up, the seven phases run once each, in order, and each logs its line. */
@ExtendWith(ArquillianExtension.class)
class StartupIT {

    @Deployment
    static WebArchive deployment() {
        return Deployments.candor(Deployments.withStub(LlmProviderStub.shared()));
    }

    @Inject
    StartupService startup;

    @Test
    void runsEveryPhaseOnceInOrderUntilReady() {
        StartupReport report = startup.ensureInitialized();

        assertTrue(report.complete(), report.toString());
        assertEquals(100, report.progress());
        assertEquals(1, report.attempts(), "the deployment's own attempt did all the work: " + report);
        PhaseRecord previous = null;
        for (PhaseRecord phase : report.phases()) {
            assertEquals(PhaseState.READY, phase.state(), phase.toString());
            assertEquals(1, phase.runs(), phase.toString());
            if (previous != null) {
                assertFalse(phase.startedAt().isBefore(previous.startedAt()), phase + " started before " + previous);
            }
            previous = phase;
        }
    }

    @Test
    void logsOneLinePerPhaseAndASummary() throws Exception {
        startup.ensureInitialized();
        String log = Files.readString(Path.of(System.getProperty("jboss.server.log.dir"), "server.log"));
        for (Phase phase : Phase.values()) {
            String line = "phase " + phase.number() + "/7 " + phase + " ready in ";
            assertTrue(log.contains(line), "server.log lacks '" + line + "'");
        }
        assertTrue(log.contains("startup complete: 7 phases ready"), "server.log lacks the summary line");
    }

    @Test
    void startupProbeIsUpOnceFinalized() {
        startup.ensureInitialized();
        String body = Http.health("started").body();
        assertTrue(body.contains("\"candor-startup\",\"status\":\"UP\""), body);
        assertTrue(body.contains("\"FINALIZE\":\"READY runs=1"), body);
    }
}
