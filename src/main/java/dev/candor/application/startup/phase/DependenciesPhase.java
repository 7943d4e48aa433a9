package dev.candor.application.startup.phase;

import dev.candor.application.startup.Phase;
import dev.candor.application.startup.StartupPhase;
import dev.candor.infrastructure.llm.LlmManager;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** DEPENDENCIES: reads the keys and builds the LLM client, then proves the provider answers. */
@ApplicationScoped
public class DependenciesPhase implements StartupPhase {

    @Inject
    LlmManager llm;

    @Override
    public Phase phase() {
        return Phase.DEPENDENCIES;
    }

    @Override
    public void run() {
        llm.connect();
    }
}
