package dev.candor.infrastructure.llm;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/** The provider protocols Candor speaks, with their public endpoints. */
public enum LlmProvider {
    /** OpenAI chat completions, spoken by OpenAI, Azure OpenAI, Ollama, vLLM, llama.cpp, LM Studio, OpenRouter, ... */
    OPENAI("https://api.openai.com/v1"),
    /** Anthropic Messages API. */
    ANTHROPIC("https://api.anthropic.com/v1");

    private final String publicBaseUrl;

    LlmProvider(String publicBaseUrl) {
        this.publicBaseUrl = publicBaseUrl;
    }

    public static Optional<LlmProvider> parse(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "openai" -> Optional.of(OPENAI);
            case "anthropic" -> Optional.of(ANTHROPIC);
            default -> Optional.empty();
        };
    }

    public URI publicBaseUrl() {
        return URI.create(publicBaseUrl);
    }

    /** The public endpoints need a key; a self-hosted OpenAI-compatible server (Ollama, vLLM) may not. */
    public boolean requiresKey(URI baseUrl) {
        return this == ANTHROPIC || baseUrl.getHost().equals(publicBaseUrl().getHost());
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
