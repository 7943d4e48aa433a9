package dev.candor.application.startup.phase;

import dev.candor.application.startup.Phase;
import dev.candor.application.startup.StartupPhase;
import dev.candor.infrastructure.config.KeyManager;
import dev.candor.infrastructure.llm.LlmManager;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;

/**
 * DEPENDENCIES: checks the authentication settings and loads the identity provider's keys, reads the LLM key and
 * builds the LLM client, then proves the provider answers.
 */
@ApplicationScoped
public class DependenciesPhase implements StartupPhase {

    @Inject
    LlmManager llm;

    @Inject
    KeyManager keys;

    @Override
    public Phase phase() {
        return Phase.DEPENDENCIES;
    }

    @Override
    public void run() throws IOException {
        keys.loadAuthentication();
        llm.connect();
    }
}
