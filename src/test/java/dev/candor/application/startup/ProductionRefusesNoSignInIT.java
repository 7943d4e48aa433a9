package dev.candor.application.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.testsupport.Deployments;
import dev.candor.testsupport.Eventually;
import dev.candor.testsupport.llm.LlmProviderStub;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** In production, phase DEPENDENCIES refuses {@code candor.auth.mode=none}, naming the setting. */
@ExtendWith(ArquillianExtension.class)
class ProductionRefusesNoSignInIT {

    @Deployment
    static WebArchive deployment() {
        Map<String, String> config = new HashMap<>(Deployments.withStub(LlmProviderStub.shared()));
        config.put("candor.environment", "production");
        config.put("candor.auth.mode", "none");
        return Deployments.candor(config);
    }

    @Inject
    StartupService startup;

    @Test
    void productionRefusesNoSignInNamingTheSetting() {
        assertTrue(Eventually.within(Duration.ofSeconds(30), () -> startup.report().attempts() >= 1),
                "the deployment's startup attempt never finished");
        PhaseRecord dependencies = startup.report().get(Phase.DEPENDENCIES);
        assertEquals(PhaseState.FAILED, dependencies.state());
        assertTrue(dependencies.error().contains("CANDOR_AUTH_MODE=none is refused in production"),
                dependencies.error());
    }
}
