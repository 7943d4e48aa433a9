package dev.candor.infrastructure.config;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.Config;

/**
 * Typed view of the {@code candor.*} settings, read once, one record per area. Keys, defaults and docs are the
 * {@link Setting}s; nothing else writes a default.
 */
@ApplicationScoped
public class CandorConfig {

    @Inject
    Config config;

    private Environment environment;
    private LlmConfig llm;
    private RedisConfig redis;
    private HealthConfig health;
    private InitConfig init;
    private AgentConfig agent;
    private WebSocketConfig webSocket;
    private AuthConfig auth;
    private LimitsConfig limits;
    private RolloutConfig rollout;
    private String nodeId;

    @PostConstruct
    void read() {
        environment = Environment.parse(text(Setting.ENVIRONMENT).orElseThrow());
        auth = new AuthConfig(AuthConfig.parseMode(text(Setting.AUTH_MODE).orElseThrow()), text(Setting.AUTH_ISSUER),
                text(Setting.AUTH_AUDIENCE), text(Setting.AUTH_JWKS_URL), text(Setting.AUTH_USER_CLAIM).orElseThrow(),
                List.of(text(Setting.AUTH_NAME_CLAIMS).orElseThrow().split("\\s*,\\s*")), text(Setting.AUTH_ROLE),
                text(Setting.AUTH_ALGORITHM).orElseThrow(), millis(Setting.AUTH_JWKS_TIMEOUT_MS),
                millis(Setting.AUTH_JWKS_MIN_REFRESH_MS), text(Setting.AUTH_CLIENT_ID).orElseThrow(),
                text(Setting.AUTH_SCOPE).orElseThrow(), millis(Setting.AUTH_TICKET_TTL_MS));
        llm = new LlmConfig(text(Setting.LLM_PROVIDER), text(Setting.LLM_BASE_URL), text(Setting.LLM_MODEL),
                millis(Setting.LLM_CONNECT_TIMEOUT_MS), millis(Setting.LLM_REQUEST_TIMEOUT_MS),
                text(Setting.LLM_CHECK).orElseThrow(), millis(Setting.LLM_CHECK_TIMEOUT_MS),
                value(Setting.LLM_TEMPERATURE, Double.class), value(Setting.LLM_MAX_TOKENS, Integer.class),
                millis(Setting.LLM_FIRST_TOKEN_TIMEOUT_MS), millis(Setting.LLM_IDLE_TIMEOUT_MS),
                integer(Setting.LLM_RETRIES), millis(Setting.LLM_RETRY_BACKOFF_MS),
                millis(Setting.LLM_MAX_RETRY_AFTER_MS));
        agent = new AgentConfig(text(Setting.AGENT_NAME).orElseThrow(), text(Setting.AGENT_SYSTEM_PROMPT).orElseThrow(),
                integer(Setting.AGENT_MEMORY_MESSAGES), integer(Setting.AGENT_MEMORY_CHARS),
                integer(Setting.AGENT_MAX_TOOL_ROUNDS), millis(Setting.AGENT_TOOL_TIMEOUT_MS),
                integer(Setting.AGENT_TOOL_THREADS), integer(Setting.RUNS_STREAM_MAX_LEN),
                Duration.ofSeconds(value(Setting.RUNS_STREAM_TTL_S, Long.class).orElseThrow()),
                millis(Setting.RUNS_LEASE_MS), millis(Setting.RUNS_RECLAIM_INTERVAL_MS),
                millis(Setting.RUNS_STORE_RETRY_MS), integer(Setting.RUNS_MAX_REMOTE_FOLLOWERS));
        nodeId = text(Setting.NODE_NAME).orElse(System.getProperty("jboss.node.name", "candor")) + "/"
                + UUID.randomUUID().toString().substring(0, 8);
        redis = new RedisConfig(text(Setting.REDIS_URL), text(Setting.REDIS_SENTINEL_MASTER),
                text(Setting.REDIS_SENTINELS), text(Setting.REDIS_PASSWORD).map(Secret::new),
                text(Setting.REDIS_SENTINEL_PASSWORD).map(Secret::new),
                value(Setting.REDIS_EMBEDDED, Boolean.class).orElseThrow(), text(Setting.REDIS_EMBEDDED_EXECUTABLE),
                millis(Setting.REDIS_TIMEOUT_MS), millis(Setting.REDIS_CONNECT_WAIT_MS),
                integer(Setting.REDIS_MAX_CONNECTIONS), millis(Setting.REDIS_MAX_WAIT_MS));
        health = new HealthConfig(millis(Setting.HEALTH_REFRESH_INTERVAL_MS), millis(Setting.HEALTH_PROBE_TIMEOUT_MS));
        List<Long> bounds = config.getOptionalValues(Setting.INIT_TIMEOUTS_MS.key(), Long.class)
                .orElse(InitConfig.defaultBoundsMs(environment));
        init = new InitConfig(bounds.stream().map(Duration::ofMillis).toList(), millis(Setting.INIT_RETRY_INTERVAL_MS));
        webSocket = new WebSocketConfig(integer(Setting.WS_MAX_FRAME_BYTES), millis(Setting.WS_IDLE_TIMEOUT_MS),
                millis(Setting.WS_PING_INTERVAL_MS), integer(Setting.WS_MAX_CONNECTIONS),
                integer(Setting.WS_MAX_QUEUED_FRAMES), value(Setting.WS_MAX_QUEUED_BYTES, Long.class).orElseThrow(),
                text(Setting.WS_ALLOWED_ORIGINS).map(CandorConfig::list).orElse(List.of()).stream()
                        .filter(origin -> !environment.isProduction() || !"*".equals(origin)).toList(),
                text(Setting.WS_TRUSTED_PROXIES).map(CandorConfig::list).orElse(List.of()));
        limits = new LimitsConfig(integer(Setting.LIMITS_MESSAGES), millis(Setting.LIMITS_MESSAGES_WINDOW_MS),
                integer(Setting.LIMITS_CONCURRENT_RUNS), integer(Setting.LIMITS_CONNECTIONS_PER_USER),
                integer(Setting.LIMITS_CONNECTIONS_PER_IP), integer(Setting.LIMITS_RESUMES),
                millis(Setting.LIMITS_RESUMES_WINDOW_MS), value(Setting.LIMITS_DAILY_TOKENS, Long.class).orElseThrow(),
                integer(Setting.LIMITS_RUN_OUTPUT_TOKENS), millis(Setting.RUNS_LEASE_MS));
        rollout = new RolloutConfig(text(Setting.ROLLOUT_FILE).map(Path::of)
                .orElse(dataDir().resolve("rollout.properties")), millis(Setting.ROLLOUT_FILE_POLL_MS),
                text(Setting.ROLLOUT_REDIS_KEY).orElseThrow(), millis(Setting.ROLLOUT_REDIS_POLL_MS));
    }

    private static List<String> list(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public Environment environment() {
        return environment;
    }

    /** This node in run leases: its name and a suffix new at every start. */
    public String nodeId() {
        return nodeId;
    }

    /** Candor's data directory: {@code candor.data-dir}, else {@code ~/.candor}. */
    public Path dataDir() {
        return text(Setting.DATA_DIR).map(Path::of).orElse(Path.of(System.getProperty("user.home"), ".candor"));
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

    public AuthConfig auth() {
        return auth;
    }

    public WebSocketConfig webSocket() {
        return webSocket;
    }

    public LimitsConfig limits() {
        return limits;
    }

    public RolloutConfig rollout() {
        return rollout;
    }

    /** A setting as text, else its default; blank counts as absent, so an empty variable is not "configured". */
    public Optional<String> text(Setting setting) {
        return config.getOptionalValue(setting.key(), String.class).map(String::trim).filter(s -> !s.isEmpty())
                .or(() -> Optional.ofNullable(setting.defaultValue()));
    }

    private <T> Optional<T> value(Setting setting, Class<T> type) {
        return text(setting).map(text -> config.getConverter(type).orElseThrow(() -> new IllegalStateException(
                "no converter to " + type.getSimpleName() + " for " + setting.key())).convert(text));
    }

    private int integer(Setting setting) {
        return value(setting, Integer.class).orElseThrow();
    }

    private Duration millis(Setting setting) {
        return Duration.ofMillis(value(setting, Long.class).orElseThrow());
    }
}
