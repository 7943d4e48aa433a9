package dev.candor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.testsupport.Deployments;
import dev.candor.testsupport.Http;
import dev.candor.testsupport.llm.LlmProviderStub;
import java.time.Duration;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(ArquillianExtension.class)
@RunAsClient
class BasicRuntimeIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.candor(Deployments.withStub(LlmProviderStub.shared()));
    }

    @Test
    void pageAnswersAtTheRoot() {
        var response = Http.get(Http.APP);
        assertEquals(200, response.statusCode());
        assertTrue(response.body().contains("Candor"), response.body());
    }

    @Test
    void readinessIsUpWhenEverythingIsUp() {
        String body = Http.awaitHealth("ready", b -> b.startsWith("{\"status\":\"UP\""), Duration.ofSeconds(30));
        assertTrue(body.startsWith("{\"status\":\"UP\""), body);
        assertTrue(body.contains("\"candor-ready\""), body);
    }
}
