package dev.candor.infrastructure.config;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * Typed view of the {@code candor.*} settings. Defaults live in META-INF/microprofile-config.properties; every key can be
 * overridden by its environment variable (candor.llm.model -> CANDOR_LLM_MODEL).
 */
@ApplicationScoped
public class CandorConfig {

    static final String DEFAULT_SYSTEM_PROMPT = "You are Candor, a helpful assistant. Answer truthfully and say so when "
            + "you do not know. Use the tools you are given when they help, and never make up their results.";

    @Inject
    Config config;

    private Environment environment;
    private LlmConfig llm;
    private RedisConfig redis;
    private HealthConfig health;
    private InitConfig init;
    private AgentConfig agent;
    private WebSocketConfig webSocket;

    @PostConstruct
    void read() {
        environment = Environment.parse(text("candor.environment").orElse("development"));
        llm = new LlmConfig(text("candor.llm.provider"), text("candor.llm.base-url"), text("candor.llm.model"),
                millis("candor.llm.connect-timeout-ms", 5_000), millis("candor.llm.request-timeout-ms", 120_000),
                text("candor.llm.check").orElse("models"), millis("candor.llm.check-timeout-ms", 5_000),
                config.getOptionalValue("candor.llm.temperature", Double.class),
                config.getOptionalValue("candor.llm.max-tokens", Integer.class),
                millis("candor.llm.first-token-timeout-ms", 30_000), millis("candor.llm.idle-timeout-ms", 30_000),
                integer("candor.llm.retries", 2), millis("candor.llm.retry-backoff-ms", 500),
                millis("candor.llm.max-retry-after-ms", 20_000));
        agent = new AgentConfig(text("candor.agent.name").orElse("candor"),
                text("candor.agent.system-prompt").orElse(DEFAULT_SYSTEM_PROMPT),
                integer("candor.agent.memory-messages", 20), integer("candor.agent.memory-chars", 24_000),
                integer("candor.agent.max-tool-rounds", 5), millis("candor.agent.tool-timeout-ms", 10_000),
                integer("candor.runs.stream-max-len", 5_000), Duration.ofSeconds(
                        config.getOptionalValue("candor.runs.stream-ttl-s", Long.class).orElse(86_400L)));
        redis = new RedisConfig(text("candor.redis.url"),
                config.getOptionalValue("candor.redis.embedded", Boolean.class).orElse(true),
                text("candor.redis.embedded-executable"), millis("candor.redis.timeout-ms", 2_000),
                millis("candor.redis.connect-wait-ms", 0));
        health = new HealthConfig(millis("candor.health.refresh-interval-ms", 10_000),
                millis("candor.health.probe-timeout-ms", 3_000));
        List<Long> bounds = config.getOptionalValues("candor.init.timeouts-ms", Long.class)
                .orElse(InitConfig.defaultBoundsMs(environment));
        init = new InitConfig(bounds.stream().map(Duration::ofMillis).toList(),
                millis("candor.init.retry-interval-ms", 2_000));
        webSocket = new WebSocketConfig(integer("candor.ws.max-frame-bytes", 64 * 1024),
                millis("candor.ws.idle-timeout-ms", 300_000), millis("candor.ws.ping-interval-ms", 30_000),
                integer("candor.ws.max-connections", 20_000), integer("candor.ws.max-queued-frames", 10_000));
    }

    public Environment environment() {
        return environment;
    }

    public LlmConfig llm() {
        return llm;
    }

    public RedisConfig redis() {
        return redis;
    }

    public HealthConfig health() {
        return health;
    }

    public AgentConfig agent() {
        return agent;
    }

    public InitConfig init() {
        return init;
    }

    public WebSocketConfig webSocket() {
        return webSocket;
    }

    /** A setting as text; blank counts as absent, so an empty environment variable does not count as configured. */
    public Optional<String> text(String key) {
        return config.getOptionalValue(key, String.class).map(String::trim).filter(s -> !s.isEmpty());
    }

    private int integer(String key, int defaultValue) {
        return config.getOptionalValue(key, Integer.class).orElse(defaultValue);
    }

    public Duration millis(String key, long defaultMillis) {
        return Duration.ofMillis(config.getOptionalValue(key, Long.class).orElse(defaultMillis));
    }
}
