package dev.candor.application.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.testsupport.Deployments;
import dev.candor.testsupport.Eventually;
import dev.candor.testsupport.Http;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** No LLM provider configured: DEPENDENCIES fails naming the variables, nothing after it runs, the server still serves. */
@ExtendWith(ArquillianExtension.class)
class NoLlmConfiguredIT {

    @Deployment
    static WebArchive deployment() {
        return Deployments.candor(Map.of("candor.environment", "test", "candor.health.refresh-interval-ms", "1000"));
    }

    @Inject
    StartupService startup;

    @BeforeEach
    void awaitFirstAttempt() {
        assertTrue(Eventually.within(Duration.ofSeconds(30), () -> startup.report().attempts() >= 1),
                "the deployment's startup attempt never finished");
    }

    @Test
    void dependenciesFailsNamingTheVariablesToSet() {
        PhaseRecord dependencies = startup.report().get(Phase.DEPENDENCIES);

        assertEquals(PhaseState.FAILED, dependencies.state());
        assertTrue(dependencies.error().startsWith("LLM not configured"), dependencies.error());
        for (String variable : new String[] {"CANDOR_LLM_PROVIDER", "CANDOR_LLM_MODEL", "CANDOR_LLM_API_KEY"}) {
            assertTrue(dependencies.error().contains(variable), dependencies.error());
        }
    }

    @Test
    void laterPhasesStayPendingAndSayWhy() {
        for (PhaseRecord phase : startup.report().phases().subList(1, Phase.total())) {
            assertEquals(PhaseState.PENDING, phase.state(), phase.toString());
            assertEquals(0, phase.runs(), phase.toString());
            assertEquals("not run: waiting for DEPENDENCIES to become ready", phase.error());
        }
    }

    @Test
    void aRetryRunsOnlyDependenciesAgainAndFailsTheSameWay() {
        StartupReport report = startup.ensureInitialized();

        assertEquals(PhaseState.FAILED, report.get(Phase.DEPENDENCIES).state());
        assertEquals(0, report.get(Phase.DATABASE).runs());
    }

    @Test
    void theDeploymentStillServes() {
        assertEquals(200, Http.get(Http.APP).statusCode());
    }

    @Test
    void readinessIsDownNamingWhatWithoutItsReason() {
        String body = Http.awaitHealth("ready", b -> b.contains("\"failed_phase\":\"DEPENDENCIES\""),
                Duration.ofSeconds(15));

        assertTrue(body.startsWith("{\"status\":\"DOWN\""), body);
        assertTrue(body.contains("\"failed_phase\":\"DEPENDENCIES\""), body);
        assertTrue(body.contains("\"llm\":\"DOWN\""), body);
        assertFalse(body.contains("LLM not configured"), "the reason is for the log, not for health callers: " + body);
    }
}
