package dev.candor.application.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.testsupport.Deployments;
import dev.candor.testsupport.Eventually;
import dev.candor.testsupport.Keycloak;
import dev.candor.testsupport.Ports;
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

/** An identity provider that does not answer fails phase DEPENDENCIES with a clear reason; nothing after it runs. */
@ExtendWith(ArquillianExtension.class)
class IdentityProviderDownIT {

    @Deployment
    static WebArchive deployment() {
        Map<String, String> config = new HashMap<>(Deployments.withStub(LlmProviderStub.shared()));
        config.put("candor.auth.mode", "oidc");
        config.put("candor.auth.issuer", "http://127.0.0.1:" + Ports.free() + "/realms/nowhere");
        config.put("candor.auth.audience", Keycloak.AUDIENCE);
        config.put("candor.auth.jwks-timeout-ms", "1000");
        return Deployments.candor(config);
    }

    @Inject
    StartupService startup;

    @Test
    void anIdentityProviderThatDoesNotAnswerFailsDependencies() {
        assertTrue(Eventually.within(Duration.ofSeconds(30), () -> startup.report().attempts() >= 1),
                "the deployment's startup attempt never finished");
        PhaseRecord dependencies = startup.report().get(Phase.DEPENDENCIES);
        assertEquals(PhaseState.FAILED, dependencies.state());
        assertTrue(dependencies.error().contains("the identity provider did not answer"), dependencies.error());
        assertEquals(PhaseState.PENDING, startup.report().get(Phase.DATABASE).state());
    }
}
