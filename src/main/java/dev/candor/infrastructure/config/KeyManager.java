package dev.candor.infrastructure.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * Reads secrets from the environment or MicroProfile Config. It hands them out as {@link Secret}s, never logs their
 * values, and names the variables that are missing.
 */
@ApplicationScoped
public class KeyManager {

    /** Environment variable of the LLM provider's API key (MicroProfile Config key candor.llm.api-key). */
    public static final String LLM_API_KEY_ENV = "CANDOR_LLM_API_KEY";

    @Inject
    CandorConfig config;

    public Optional<Secret> llmApiKey() {
        return config.text(Setting.LLM_API_KEY).map(Secret::new);
    }
}
