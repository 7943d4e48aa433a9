package dev.candor.interfaces.rest;

import dev.candor.testsupport.Deployments;
import dev.candor.testsupport.Keycloak;
import dev.candor.testsupport.Refusals;
import dev.candor.testsupport.llm.LlmProviderStub;
import java.util.HashMap;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A Keycloak token from another issuer than the configured one is refused, even when it is signed with the keys
 * Candor loads.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class WrongIssuerIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        Map<String, String> config = new HashMap<>(Deployments.withStub(LlmProviderStub.shared()));
        config.put("candor.auth.mode", "oidc");
        config.put("candor.auth.issuer", Keycloak.url() + "/realms/another-realm");
        config.put("candor.auth.jwks-url", Keycloak.jwksUrl()); // the right keys, the wrong issuer
        config.put("candor.auth.audience", Keycloak.AUDIENCE);
        return Deployments.candor(config);
    }

    @Test
    void aTokenFromAnotherIssuerIsRefused() {
        String token = Keycloak.token("alice", "alice-password"); // valid, signed by the provider whose keys we load
        Refusals.refusedOnRestAndWebSocket(token);
    }
}
