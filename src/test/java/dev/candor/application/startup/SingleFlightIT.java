package dev.candor.application.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.testsupport.Deployments;
import dev.candor.testsupport.Eventually;
import dev.candor.testsupport.llm.LlmProviderStub;
import dev.candor.testsupport.llm.LlmStubControl;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** 50 callers of ensureInitialized() during a slow phase share one attempt: every phase runs exactly once more. */
@ExtendWith(ArquillianExtension.class)
class SingleFlightIT {

    private static final int CALLERS = 50;

    @Deployment
    static WebArchive deployment() {
        LlmProviderStub stub = LlmProviderStub.start(); // this class's own stub: its models listing fails at boot
        stub.modelsStatus(503);
        return Deployments.candor(Deployments.withStub(stub));
    }

    @Inject
    StartupService startup;

    @Inject
    @ConfigProperty(name = Deployments.STUB_CONTROL)
    String stubControl;

    @Test
    void concurrentCallersShareOneAttemptDuringASlowPhase() throws Exception {
        assertTrue(Eventually.within(Duration.ofSeconds(30), () -> startup.report().attempts() >= 1));
        StartupReport atBoot = startup.report();
        assertEquals(PhaseState.FAILED, atBoot.get(Phase.DEPENDENCIES).state());
        assertTrue(atBoot.get(Phase.DEPENDENCIES).error().contains("HTTP 503"), atBoot.get(Phase.DEPENDENCIES).error());

        new LlmStubControl(URI.create(stubControl)).models(200, 1500); // the provider is back, slowly
        ExecutorService pool = Executors.newFixedThreadPool(CALLERS);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<StartupReport>> calls = new ArrayList<>();
        try {
            for (int i = 0; i < CALLERS; i++) {
                calls.add(pool.submit(() -> {
                    go.await();
                    return startup.ensureInitialized();
                }));
            }
            go.countDown();
            for (Future<StartupReport> call : calls) {
                StartupReport report = call.get();
                assertTrue(report.complete(), report.toString());
                assertEquals(atBoot.attempts() + 1, report.attempts(), "a caller started an attempt of its own");
            }
        } finally {
            pool.shutdownNow();
        }

        StartupReport after = startup.report();
        assertEquals(2, after.get(Phase.DEPENDENCIES).runs(), "DEPENDENCIES: once at boot, once on demand");
        for (PhaseRecord phase : after.phases().subList(1, Phase.total())) {
            assertEquals(1, phase.runs(), phase.phase() + " ran more than once");
        }
        assertTrue(after.get(Phase.DEPENDENCIES).durationMs() >= 1500, "the phase was not slow: " + after);
    }
}
