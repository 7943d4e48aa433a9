package dev.candor.infrastructure.llm;

import dev.candor.infrastructure.config.CandorConfig;
import dev.candor.infrastructure.config.KeyManager;
import dev.candor.infrastructure.config.LlmConfig;
import dev.candor.infrastructure.config.Secret;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Owns the connection to the LLM provider: resolves and validates its settings, builds the LangChain4j streaming
 * model once, and proves the provider answers. Nothing outside this package sees LangChain4j types.
 */
@ApplicationScoped
public class LlmManager {

    private static final Logger LOG = Logger.getLogger(LlmManager.class.getName());

    @Inject
    CandorConfig config;

    @Inject
    KeyManager keys;

    private volatile LlmSettings settings;
    private volatile StreamingChatModel model;
    private volatile ProviderProbe probe;

    /**
     * Idempotent: builds the client once and proves the provider answers; run again (after the provider was lost) it
     * only probes the provider again. Throws with a message naming what to set or fix.
     */
    public synchronized void connect() {
        if (model != null) {
            probe.check(settings);
            return;
        }
        LlmSettings resolved = resolve();
        ProviderProbe newProbe = new ProviderProbe(HttpClient.newBuilder()
                .connectTimeout(resolved.connectTimeout()).build());
        newProbe.check(resolved);
        StreamingChatModel built = build(resolved);
        this.probe = newProbe;
        this.settings = resolved;
        this.model = built;
        LOG.info(() -> "LLM provider answers: " + resolved.describe());
    }

    /** A real round trip to the provider, bounded by candor.llm.check-timeout-ms. */
    public void verify() {
        if (model == null) {
            throw new LlmNotConfiguredException("the LLM provider is not connected yet (phase DEPENDENCIES)");
        }
        probe.check(settings);
    }

    public boolean isConnected() {
        return model != null;
    }

    public Optional<LlmSettings> settings() {
        return Optional.ofNullable(settings);
    }

    StreamingChatModel model() {
        return model;
    }

    LlmSettings resolve() {
        LlmConfig llm = config.llm();
        List<String> missing = new ArrayList<>();
        Optional<LlmProvider> provider = llm.provider().flatMap(LlmProvider::parse);
        if (llm.provider().isPresent() && provider.isEmpty()) {
            throw new LlmNotConfiguredException("CANDOR_LLM_PROVIDER must be 'openai' or 'anthropic', not '"
                    + llm.provider().get() + "'");
        }
        if (provider.isEmpty()) {
            missing.add("CANDOR_LLM_PROVIDER (openai or anthropic)");
        }
        if (llm.model().isEmpty()) {
            missing.add("CANDOR_LLM_MODEL");
        }
        URI baseUrl = llm.baseUrl().map(URI::create).orElse(provider.map(LlmProvider::publicBaseUrl).orElse(null));
        Optional<Secret> key = keys.llmApiKey();
        if (key.isEmpty() && (provider.isEmpty() || provider.get().requiresKey(baseUrl))) {
            missing.add(KeyManager.LLM_API_KEY_ENV);
        }
        if (!missing.isEmpty()) {
            throw new LlmNotConfiguredException("LLM not configured: set " + String.join(", ", missing)
                    + " (and CANDOR_LLM_BASE_URL for Ollama or another OpenAI-compatible server)");
        }
        return new LlmSettings(provider.get(), baseUrl, llm.model().get(), key, llm.connectTimeout(),
                llm.requestTimeout(), llm.check(), llm.checkTimeout());
    }

    private StreamingChatModel build(LlmSettings s) {
        String key = s.apiKey().map(Secret::reveal).orElse("no-key");
        LlmConfig llm = config.llm();
        CancellableHttpClient.Builder http = new CancellableHttpClient.Builder();
        http.connectTimeout(s.connectTimeout()).readTimeout(s.requestTimeout());
        return switch (s.provider()) {
            case OPENAI -> OpenAiStreamingChatModel.builder().baseUrl(s.baseUrl().toString()).apiKey(key)
                    .modelName(s.model()).httpClientBuilder(http)
                    .temperature(llm.temperature().orElse(null)).maxTokens(llm.maxTokens().orElse(null)).build();
            case ANTHROPIC -> AnthropicStreamingChatModel.builder().baseUrl(s.baseUrl().toString()).apiKey(key)
                    .modelName(s.model()).httpClientBuilder(http)
                    .temperature(llm.temperature().orElse(null)).maxTokens(llm.maxTokens().orElse(4096)).build();
        };
    }
}
