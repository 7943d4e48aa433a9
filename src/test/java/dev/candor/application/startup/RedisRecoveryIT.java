package dev.candor.application.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.infrastructure.cache.RedisProcess;
import dev.candor.testsupport.Deployments;
import dev.candor.testsupport.Eventually;
import dev.candor.testsupport.Http;
import dev.candor.testsupport.Ports;
import dev.candor.testsupport.llm.LlmProviderStub;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Redis is unreachable at boot; once it is started, ensureInitialized() runs CACHE and the phases after it only. */
@ExtendWith(ArquillianExtension.class)
class RedisRecoveryIT {

    @Deployment
    static WebArchive deployment() {
        Map<String, String> config = new java.util.HashMap<>(Deployments.withStub(LlmProviderStub.shared()));
        config.put("candor.redis.url", "redis://127.0.0.1:" + Ports.free());
        config.put("candor.redis.timeout-ms", "500");
        return Deployments.candor(config);
    }

    @Inject
    StartupService startup;

    @Inject
    @ConfigProperty(name = "candor.redis.url")
    String redisUrl;

    @Test
    void cacheFailsWhileRedisIsDownThenRecoversOnDemand() throws Exception {
        assertTrue(Eventually.within(Duration.ofSeconds(30), () -> startup.report().attempts() >= 1));
        StartupReport atBoot = startup.report();
        assertEquals(PhaseState.READY, atBoot.get(Phase.DEPENDENCIES).state());
        assertEquals(PhaseState.READY, atBoot.get(Phase.DATABASE).state());
        assertEquals(PhaseState.FAILED, atBoot.get(Phase.CACHE).state());
        assertTrue(atBoot.get(Phase.CACHE).error().contains("did not answer PING"), atBoot.get(Phase.CACHE).error());
        String down = Http.awaitHealth("ready", b -> b.contains("\"failed_phase\":\"CACHE\""), Duration.ofSeconds(15));
        assertTrue(down.startsWith("{\"status\":\"DOWN\""), down);

        Path executable = RedisProcess.findExecutable(Optional.empty(),
                Optional.of(Path.of(System.getProperty("jboss.home.dir")))).orElseThrow();
        try (RedisProcess redis = RedisProcess.start(executable, URI.create(redisUrl).getPort(), Duration.ofSeconds(10))) {
            StartupReport recovered = startup.ensureInitialized();

            assertTrue(recovered.complete(), recovered.toString());
            assertEquals(1, recovered.get(Phase.DEPENDENCIES).runs(), "DEPENDENCIES was re-run");
            assertEquals(1, recovered.get(Phase.DATABASE).runs(), "DATABASE was re-run");
            assertEquals(2, recovered.get(Phase.CACHE).runs());
            for (Phase later : new Phase[] {Phase.SERVICES, Phase.WEBSOCKET, Phase.VALIDATION, Phase.FINALIZE}) {
                assertEquals(1, recovered.get(later).runs(), later + " should have run exactly once");
            }
            String up = Http.awaitHealth("ready", b -> b.startsWith("{\"status\":\"UP\""), Duration.ofSeconds(15));
            assertTrue(up.startsWith("{\"status\":\"UP\""), up);
        }
    }
}
