package dev.candor.infrastructure.config;

import java.util.Locale;

/**
 * Every {@code candor.*} setting, each with its default and its one line of doc, written once. The README's
 * configuration table is checked against this list by a unit test. Each key can be overridden by its environment
 * variable ({@code candor.llm.model} -> {@code CANDOR_LLM_MODEL}).
 */
public enum Setting {
    ENVIRONMENT("candor.environment", "development", null,
            "`development`, `test` or `production`: production never starts a local Redis and waits longer"),
    DATA_DIR("candor.data-dir", null, "`~/.candor`", "Candor's data directory, outside the server: the embedded H2 "
            + "database (`db/`, see `configure-server.cli`), the local Redis's append-only and pid files (`redis/`) and "
            + "the phases' last durations, for `eta_ms` (`phase-timings.properties`)"),
    LLM_PROVIDER("candor.llm.provider", null, "(none)", "`openai` (any OpenAI-compatible server) or `anthropic`"),
    LLM_BASE_URL("candor.llm.base-url", null, "provider's public API",
            "endpoint including the version, e.g. `http://localhost:11434/v1`"),
    LLM_MODEL("candor.llm.model", null, "(none)", "model name"),
    LLM_API_KEY("candor.llm.api-key", null, "(none)", "secret; optional for self-hosted OpenAI-compatible servers"),
    LLM_CONNECT_TIMEOUT_MS("candor.llm.connect-timeout-ms", "5000", null, "TCP connect bound"),
    LLM_REQUEST_TIMEOUT_MS("candor.llm.request-timeout-ms", "120000", null, "overall bound of one provider request"),
    LLM_CHECK("candor.llm.check", "models", null,
            "startup/health check: `models` (list models) or `chat` (one-token request)"),
    LLM_CHECK_TIMEOUT_MS("candor.llm.check-timeout-ms", "5000", null, "bound of that check"),
    LLM_TEMPERATURE("candor.llm.temperature", null, "provider's", "sampling temperature"),
    LLM_MAX_TOKENS("candor.llm.max-tokens", null, "provider's (Anthropic 4096)", "answer length limit"),
    LLM_FIRST_TOKEN_TIMEOUT_MS("candor.llm.first-token-timeout-ms", "30000", null,
            "the provider must start answering within this"),
    LLM_IDLE_TIMEOUT_MS("candor.llm.idle-timeout-ms", "30000", null, "and never stall longer than this mid-stream"),
    LLM_RETRIES("candor.llm.retries", "2", null, "retries of connect errors, 429 and 5xx before the first token"),
    LLM_RETRY_BACKOFF_MS("candor.llm.retry-backoff-ms", "500", null,
            "first retry delay, doubled each time (Retry-After wins)"),
    LLM_MAX_RETRY_AFTER_MS("candor.llm.max-retry-after-ms", "20000", null,
            "a longer Retry-After ends the run with RATE_LIMITED"),
    AGENT_NAME("candor.agent.name", "candor", null, "`agent_name` of `agent_started`"),
    AGENT_SYSTEM_PROMPT("candor.agent.system-prompt", "You are Candor, a helpful assistant. Answer truthfully and say "
            + "so when you do not know. Use the tools you are given when they help, and never make up their results.",
            "a short truthful-assistant prompt", "sent first in every request"),
    AGENT_MEMORY_MESSAGES("candor.agent.memory-messages", "20", null, "earlier messages of the thread sent as context"),
    AGENT_MEMORY_CHARS("candor.agent.memory-chars", "24000", null, "and at most this many characters of them"),
    AGENT_MAX_TOOL_ROUNDS("candor.agent.max-tool-rounds", "5", null, "model turns that may call tools, per run"),
    AGENT_TOOL_TIMEOUT_MS("candor.agent.tool-timeout-ms", "10000", null,
            "bound of one tool call; a tool still running then is interrupted"),
    AGENT_TOOL_THREADS("candor.agent.tool-threads", "8", null,
            "tool calls running at once on this server (their own pool; 16 times as many may queue)"),
    MCP_CONFIG("candor.mcp.config", null, "(none)", "a JSON file naming the MCP servers whose tools the agent may "
            + "call (see \"MCP tools\")"),
    RUNS_STREAM_MAX_LEN("candor.runs.stream-max-len", "5000", null, "events kept per run in Redis"),
    RUNS_STREAM_TTL_S("candor.runs.stream-ttl-s", "86400", null, "how long a run's events stay resumable"),
    RUNS_LEASE_MS("candor.runs.lease-ms", "15000", null, "a running run's lease: its node renews it every third of "
            + "this; a run whose lease expired (its node stopped) is ended with `RUN_INTERRUPTED`"),
    RUNS_RECLAIM_INTERVAL_MS("candor.runs.reclaim-interval-ms", "5000", null,
            "how often every node looks for runs whose lease expired"),
    RUNS_STORE_RETRY_MS("candor.runs.store-retry-ms", "30000", null, "how long a run keeps trying to store its "
            + "answer while the database is unreachable (250 ms doubling to 2 s); then it ends with `ANSWER_NOT_STORED`"),
    RUNS_MAX_REMOTE_FOLLOWERS("candor.runs.max-remote-followers", "2000", null, "connections of this node that may "
            + "follow runs of other nodes at once (`resume`, `stop_run`); one more `resume` gets `RATE_LIMITED`"),
    NODE_NAME("candor.node-name", null, "`jboss.node.name`", "this node's name in run leases (a random suffix per "
            + "start tells a restarted node from its predecessor)"),
    REDIS_URL("candor.redis.url", null, "(none)", "`redis://[user:password@]host:port[/db]`, "
            + "`redis-sentinel://[user:password@]host1:26379,host2:26379/<master>[/db]` or "
            + "`redis-cluster://[user:password@]host1:7000,host2:7001`; `rediss...` for TLS (see Redis topologies)"),
    REDIS_SENTINEL_MASTER("candor.redis.sentinel.master", null, "(none)", "with no URL: the master name the "
            + "sentinels monitor (with `candor.redis.sentinels`; same as `redis-sentinel://...`)"),
    REDIS_SENTINELS("candor.redis.sentinels", null, "(none)", "with no URL: the sentinels, `host:port,host:port`"),
    REDIS_PASSWORD("candor.redis.password", null, "(none)", "secret; password of the Redis servers (master, "
            + "replicas, cluster nodes) when the URL carries none"),
    REDIS_SENTINEL_PASSWORD("candor.redis.sentinel.password", null, "(none)",
            "secret; password of the sentinels themselves, if they require one"),
    REDIS_MAX_CONNECTIONS("candor.redis.max-connections", "64", null, "pooled Redis connections of this node (on "
            + "Cluster: per Redis node); each call holds one only while it runs (the stop subscriber has its own)"),
    REDIS_MAX_WAIT_MS("candor.redis.max-wait-ms", "2000", null, "a call waits this long for a free pooled connection, "
            + "then fails with `SERVICE_UNAVAILABLE`"),
    REDIS_EMBEDDED("candor.redis.embedded", "true", null,
            "with no URL, outside production, start a local `redis-server`"),
    AUTH_MODE("candor.auth.mode", "none", null, "`oidc`: callers present bearer JWTs of an OpenID Connect provider; "
            + "`none`: development only, every caller is one local user (production refuses it)"),
    AUTH_ISSUER("candor.auth.issuer", null, "(none)", "the provider's issuer URL (`iss` of every token), e.g. "
            + "`https://sso.example.com/realms/candor`"),
    AUTH_AUDIENCE("candor.auth.audience", null, "(none)", "a value every token's `aud` must contain"),
    AUTH_JWKS_URL("candor.auth.jwks-url", null, "from discovery", "the provider's signing keys (JWKS); default: "
            + "`jwks_uri` of `<issuer>/.well-known/openid-configuration`"),
    AUTH_USER_CLAIM("candor.auth.user-claim", "sub", null, "the claim that names the user; threads belong to it"),
    AUTH_NAME_CLAIMS("candor.auth.name-claims", "preferred_username,name", null,
            "claims tried in order for the display name"),
    AUTH_ROLE("candor.auth.role", null, "(none)", "a group a user must have (claim `groups`); none: any valid token"),
    AUTH_ALGORITHM("candor.auth.algorithm", "RS256", null, "the signature algorithm tokens must use"),
    AUTH_JWKS_TIMEOUT_MS("candor.auth.jwks-timeout-ms", "5000", null,
            "bound of fetching the discovery document and the keys"),
    AUTH_JWKS_MIN_REFRESH_MS("candor.auth.jwks-min-refresh-ms", "30000", null,
            "a token signed with an unknown key (`kid`) refreshes the keys, at most this often"),
    AUTH_CLIENT_ID("candor.auth.client-id", "candor-web", null,
            "the public client the page signs in with (authorization code with PKCE)"),
    AUTH_SCOPE("candor.auth.scope", "openid profile", null, "the scopes the page asks for; add the API's scope "
            + "where the provider needs one to issue a token for Candor (Entra ID: `offline_access api://<app>/chat`)"),
    AUTH_TICKET_TTL_MS("candor.auth.ticket-ttl-ms", "30000", null, "life of a single-use WebSocket ticket"),
    REDIS_EMBEDDED_EXECUTABLE("candor.redis.embedded-executable", null, "(search)",
            "`redis-server` to start; default Debian's, else the one provisioned in `$JBOSS_HOME/candor-redis`"),
    REDIS_TIMEOUT_MS("candor.redis.timeout-ms", "2000", null,
            "connect and socket bound of Redis calls (to sentinels and cluster nodes too)"),
    REDIS_CONNECT_WAIT_MS("candor.redis.connect-wait-ms", "0", null, "how long CACHE keeps trying to reach Redis "
            + "before it fails (for Redis starting alongside Candor); 0 = one try, then on-demand retries"),
    HEALTH_REFRESH_INTERVAL_MS("candor.health.refresh-interval-ms", "10000", null,
            "how often readiness re-probes the dependencies in the background"),
    HEALTH_PROBE_TIMEOUT_MS("candor.health.probe-timeout-ms", "3000", null, "bound of each probe"),
    INIT_TIMEOUTS_MS("candor.init.timeouts-ms", null, "by environment", "a client's wait for initialization, growing "
            + "with consecutive failures: test `5000,10000,15000`, development `10000,20000,30000`, production "
            + "`20000,40000,60000`"),
    INIT_RETRY_INTERVAL_MS("candor.init.retry-interval-ms", "2000", null,
            "pause between on-demand attempts while clients wait; the `retry_after_ms` clients get"),
    WS_MAX_FRAME_BYTES("candor.ws.max-frame-bytes", "65536", null, "largest inbound frame"),
    WS_IDLE_TIMEOUT_MS("candor.ws.idle-timeout-ms", "300000", null, "idle connections are closed"),
    WS_PING_INTERVAL_MS("candor.ws.ping-interval-ms", "30000", null, "server pings (0 = off)"),
    WS_MAX_CONNECTIONS("candor.ws.max-connections", "20000", null,
            "connections per server; more get `TOO_MANY_CONNECTIONS`"),
    WS_MAX_QUEUED_FRAMES("candor.ws.max-queued-frames", "10000", null,
            "frames queued for a slow client before it is closed"),
    WS_MAX_QUEUED_BYTES("candor.ws.max-queued-bytes", "4194304", null,
            "bytes (UTF-8) of frames queued for a slow client before it is closed with 1013"),
    WS_ALLOWED_ORIGINS("candor.ws.allowed-origins", null, "the server's own origin", "comma-separated origins "
            + "(`scheme://host[:port]`) whose pages may open the chat WebSocket; others get HTTP 403 before the "
            + "upgrade; a request without `Origin` (not a browser) is allowed; `*` allows any (ignored in production)"),
    WS_TRUSTED_PROXIES("candor.ws.trusted-proxies", null, "(none)", "comma-separated addresses or CIDR blocks of the "
            + "load balancers in front of the nodes: from them `X-Forwarded-For` gives the client's address (for the "
            + "per-address limit) and `X-Forwarded-Proto` its scheme (for the `Origin` check); ignored from anyone else"),
    LIMITS_MESSAGES("candor.limits.messages", "20", null,
            "`user_message`s per user per window (all nodes); more get `RATE_LIMITED`"),
    LIMITS_MESSAGES_WINDOW_MS("candor.limits.messages-window-ms", "60000", null, "that window"),
    LIMITS_CONCURRENT_RUNS("candor.limits.concurrent-runs", "3", null,
            "runs in progress per user (all nodes); more get `RATE_LIMITED`"),
    LIMITS_CONNECTIONS_PER_USER("candor.limits.connections-per-user", "20", null,
            "open WebSocket connections per user (all nodes); more get `TOO_MANY_CONNECTIONS`"),
    LIMITS_CONNECTIONS_PER_IP("candor.limits.connections-per-ip", "100", null,
            "open WebSocket connections per client IP address (all nodes); more get `TOO_MANY_CONNECTIONS`"),
    LIMITS_RESUMES("candor.limits.resumes", "30", null, "`resume` requests per connection per window; more get "
            + "`RATE_LIMITED`"),
    LIMITS_RESUMES_WINDOW_MS("candor.limits.resumes-window-ms", "60000", null, "that window"),
    LIMITS_DAILY_TOKENS("candor.limits.daily-tokens", "1000000", null, "LLM tokens (input + output, as the provider "
            + "reports them) of a user's completed runs per UTC day; then `user_message` gets `RATE_LIMITED`"),
    LIMITS_RUN_OUTPUT_TOKENS("candor.limits.run-output-tokens", "8192", null, "output tokens of one run (all its "
            + "model turns), sent to the provider as the request's max tokens; see docs/protocol.md"),
    ROLLOUT_FILE("candor.rollout.file", null, "`rollout.properties` in the data directory", "the watched properties "
            + "file of rollout switches, read again every `candor.rollout.file-poll-ms` (see Rollout switches)"),
    ROLLOUT_FILE_POLL_MS("candor.rollout.file-poll-ms", "1000", null, "how often the rollout file is read again"),
    ROLLOUT_REDIS_KEY("candor.rollout.redis-key", "candor:rollout", null,
            "the Redis hash of rollout switches shared by every node; it wins over the file"),
    ROLLOUT_REDIS_POLL_MS("candor.rollout.redis-poll-ms", "2000", null,
            "how often the rollout hash is read again, once Redis is connected");

    private final String key;
    private final String defaultValue;
    private final String describedDefault;
    private final String doc;

    Setting(String key, String defaultValue, String describedDefault, String doc) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.describedDefault = describedDefault;
        this.doc = doc;
    }

    public String key() {
        return key;
    }

    /** The default value, or null when there is none (or it depends on something else: see the doc). */
    public String defaultValue() {
        return defaultValue;
    }

    /** How the README names the default: the value in backquotes, or a description where there is no value. */
    public String readmeDefault() {
        return defaultValue != null && describedDefault == null ? "`" + defaultValue + "`" : describedDefault;
    }

    public String doc() {
        return doc;
    }

    /** The environment variable that overrides it. */
    public String env() {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
