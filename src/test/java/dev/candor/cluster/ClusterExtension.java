package dev.candor.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.candor.testsupport.BalancerStats;
import dev.candor.testsupport.Deployments;
import dev.candor.testsupport.McpServers;
import dev.candor.testsupport.Http;
import dev.candor.testsupport.TwoNodeCluster;
import dev.candor.testsupport.TwoNodeCluster.Node;
import dev.candor.testsupport.WsClient;
import dev.candor.testsupport.llm.LlmProviderStub;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The one two-node cluster all cluster tests share, started (both nodes at once, on an empty database) before the
 * first of them and stopped after the last; before each test both nodes are ready again and the LLM stand-in is reset.
 * The nodes run in mode {@code test} with {@code candor.auth.mode=none}: every client is the one user
 * {@code anonymous}, which is what the cross-node checks need (the same user's thread and idempotency key reached
 * through two nodes), without an identity provider in the way. Leases are short (3 s, reclaimed every 0.5 s) and the
 * per-user limits are raised out of the way.
 */
public final class ClusterExtension implements ExecutionCondition, BeforeAllCallback, BeforeEachCallback {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static LlmProviderStub stub;
    private static TwoNodeCluster cluster;
    private static boolean bothReadyAtBoot;
    private static Map<Node, String> bootReadiness;

    /** Only in the build's it-cluster execution (also when -Dit.test names a cluster test in the others). */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return Boolean.getBoolean("candor.test.cluster") ? ConditionEvaluationResult.enabled("it-cluster")
                : ConditionEvaluationResult.disabled("runs in the build's it-cluster execution only");
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).getOrComputeIfAbsent("candor-cluster",
                key -> start(), ExtensionContext.Store.CloseableResource.class);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        stub.reset();
        cluster.awaitReady(Duration.ofSeconds(90));
    }

    private static ExtensionContext.Store.CloseableResource start() {
        stub = LlmProviderStub.start(Integer.getInteger("candor.test.cluster.llm.port", 0));
        Map<String, String> config = new LinkedHashMap<>(Deployments.withStub(stub));
        config.put("candor.auth.mode", "none");
        config.put("candor.runs.lease-ms", "3000");
        config.put("candor.runs.reclaim-interval-ms", "500");
        // A tool that asks for approval, to answer it on the node that does not run the run (optional: a node whose
        // MCP server cannot start is still ready, without the tool)
        config.put("candor.mcp.config", McpServers.configFile("""
                {"servers": [{"name": "everything", "transport": "stdio", "command": "%s", "args": ["stdio"],
                              "approval_timeout_ms": 20000, "tools": {"echo": {"approval": "required"}}}]}
                """.formatted(McpServers.everything())));
        Map<String, String> settings = new LinkedHashMap<>();
        Deployments.withLimitsRaised(config).forEach((key, value) -> settings.put(
                key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'), value)); // as environment variables
        cluster = TwoNodeCluster.start(settings);
        bothReadyAtBoot = cluster.awaitBootedReady(Duration.ofSeconds(150));
        bootReadiness = Map.of(Node.A, cluster.readiness(Node.A), Node.B, cluster.readiness(Node.B));
        return () -> {
            cluster.close();
            stub.close();
        };
    }

    static TwoNodeCluster cluster() {
        return cluster;
    }

    static LlmProviderStub stub() {
        return stub;
    }

    /** Whether both nodes were ready after their simultaneous start, before any client came. */
    static boolean bothReadyAtBoot() {
        return bothReadyAtBoot;
    }

    /** Both nodes' /health/ready bodies right after that start. */
    static Map<Node, String> bootReadiness() {
        return bootReadiness;
    }

    /** A client of {@code chat} that has received {@code ready}. */
    static WsClient ready(URI chat) {
        WsClient client = WsClient.connect(HTTP, chat);
        client.until(f -> WsClient.isSystem(f, "ready"), Duration.ofSeconds(30));
        return client;
    }

    static BalancerStats stats() {
        return BalancerStats.read(cluster.balancerStats());
    }

    /** The thread's messages, through the balancer's REST API. */
    static JsonNode messages(String threadId) {
        var response = Http.get(cluster.balancerApp().resolve("api/threads/" + threadId + "/messages"));
        assertEquals(200, response.statusCode(), response.body());
        try {
            return JSON.readTree(response.body()).path("messages");
        } catch (IOException e) {
            throw new AssertionError(response.body(), e);
        }
    }
}
