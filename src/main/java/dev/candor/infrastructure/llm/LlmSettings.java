package dev.candor.infrastructure.llm;

import dev.candor.infrastructure.config.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** A complete, validated provider configuration. */
public record LlmSettings(LlmProvider provider, URI baseUrl, String model, Optional<Secret> apiKey,
                          Duration connectTimeout, Duration requestTimeout, String check, Duration checkTimeout) {

    /** For logs and health: names the provider, endpoint and model, never the key. */
    public String describe() {
        return provider.id() + " model " + model + " at " + baseUrl;
    }

    /** {@code base} + {@code /path}, whether or not the configured base URL ends with a slash. */
    public URI resolve(String path) {
        String base = baseUrl.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
    }
}
