package dev.candor.bench;

import dev.candor.bench.TokenRelay.Sample;
import dev.candor.infrastructure.cache.RedisProcess;
import dev.candor.testsupport.Ports;
import dev.candor.testsupport.llm.LlmProviderStub;
import dev.candor.testsupport.llm.Script;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Two nodes behind HAProxy, on one PostgreSQL and one Redis (see bench/README.md, "Two nodes"). First a storm: N
 * clients connect through the balancer while Redis is down, then Redis starts; every client must be {@code ready}
 * within 1 s of Redis answering, and each node must have run each phase once. Then relay throughput through the
 * balancer with both nodes, and again after one node stopped, as a ratio. Misses are printed, never an exit code.
 */
public final class ClusterBenchmark {

    private static final int[] OFFSETS = {1000, 1100};
    private static final long READY_TARGET_MS = 1000;
    private static final Duration REDIS_DELAY = Duration.ofSeconds(5);

    private record Options(Path server, Path war, Path work, String dbUrl, int clients, int conversations, int tokens,
            int tokenMs, int rounds, String javaOpts) {

        static Options parse(String[] args) {
            Map<String, String> given = new LinkedHashMap<>();
            for (String arg : args) {
                if (!arg.startsWith("--") || !arg.contains("=")) {
                    throw new IllegalArgumentException("unknown argument '" + arg + "'");
                }
                given.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            }
            Options options = new Options(Path.of(given.remove("server")).toAbsolutePath(),
                    Path.of(given.remove("war")).toAbsolutePath(), Path.of(given.remove("work")).toAbsolutePath(),
                    given.remove("db-url"), Integer.parseInt(given.getOrDefault("clients", "2000")),
                    Integer.parseInt(given.getOrDefault("conversations", "200")),
                    Integer.parseInt(given.getOrDefault("tokens", "200")),
                    Integer.parseInt(given.getOrDefault("token-ms", "10")),
                    Integer.parseInt(given.getOrDefault("rounds", "3")),
                    given.getOrDefault("server-java-opts", "-Xms512m -Xmx1536m -XX:+UseG1GC "
                            + "-Djava.net.preferIPv4Stack=true -Djava.awt.headless=true"));
            List.of("clients", "conversations", "tokens", "token-ms", "rounds", "server-java-opts")
                    .forEach(given::remove);
            if (!given.isEmpty()) {
                throw new IllegalArgumentException("unknown options " + given.keySet());
            }
            return options;
        }
    }

    private ClusterBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        System.out.printf("# Candor two-node benchmark, %s%n", Instant.now());
        System.out.printf("machine: %d cores; both nodes, HAProxy, PostgreSQL, Redis, the stand-in and the clients "
                + "share them%n", Runtime.getRuntime().availableProcessors());
        System.out.println("nodes: " + options.server() + " on port offsets 1000 and 1100, JAVA_OPTS "
                + options.javaOpts() + "; database " + options.dbUrl());
        ResultTable storm = new ResultTable("two-node storm N=" + options.clients());
        ResultTable relay = new ResultTable("relay, 2 nodes against 1 (" + options.conversations()
                + " conversations, " + options.tokens() + " tokens each, one every " + options.tokenMs() + " ms)");
        int redisPort = Ports.free();
        try (LlmProviderStub llm = LlmProviderStub.start()) {
            llm.defaultScript(Script.empty().tokens(options.tokens()).everyMs(options.tokenMs()));
            List<BenchServer> nodes = startNodes(options, llm, redisPort);
            try (BenchServer a = nodes.get(0); BenchServer b = nodes.get(1);
                 Balancer balancer = Balancer.start(options.work().resolve("balancer"), Ports.free(), nodes)) {
                URI chat = URI.create("ws://127.0.0.1:" + balancer.port() + "/ws/chat");
                Progress.say("HAProxy on " + chat + " in front of HTTP " + a.httpPort() + " and " + b.httpPort());
                Path redisServer = RedisProcess.findExecutable(Optional.empty(), Optional.of(a.home()))
                        .orElseThrow(() -> new IllegalStateException("no redis-server under " + a.home()));
                try (RedisProcess redis = storm(storm, options, chat, nodes, redisServer, redisPort)) {
                    relay(relay, options, chat, llm, nodes);
                }
            }
        }
        System.out.println();
        System.out.println(storm.render());
        System.out.println();
        System.out.println(relay.render());
    }

    private static List<BenchServer> startNodes(Options options, LlmProviderStub llm, int redisPort) throws Exception {
        List<BenchServer> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < OFFSETS.length; i++) {
                Map<String, String> env = new LinkedHashMap<>();
                env.put("CANDOR_LLM_PROVIDER", "openai");
                env.put("CANDOR_LLM_BASE_URL", llm.openAiBaseUrl().toString());
                env.put("CANDOR_LLM_MODEL", "stub-model");
                env.put("CANDOR_LLM_API_KEY", "k");
                env.put("CANDOR_DB_URL", options.dbUrl());
                env.put("CANDOR_DB_USER", "candor");
                env.put("CANDOR_DB_PASSWORD", "candor");
                env.put("CANDOR_REDIS_URL", "redis://127.0.0.1:" + redisPort);
                env.put("CANDOR_REDIS_CONNECT_WAIT_MS", "60000");
                env.put("CANDOR_INIT_TIMEOUTS_MS", "120000");
                env.put("CANDOR_NODE_NAME", "node-" + (i + 1));
                env.put("CANDOR_WS_TRUSTED_PROXIES", "127.0.0.1");
                // One anonymous user on one address (no sign-in in development): the per-user and per-address limits
                // would otherwise refuse the load itself.
                env.put("CANDOR_LIMITS_CONNECTIONS_PER_USER", "100000");
                env.put("CANDOR_LIMITS_CONNECTIONS_PER_IP", "100000");
                env.put("CANDOR_LIMITS_CONCURRENT_RUNS", "100000");
                env.put("CANDOR_LIMITS_MESSAGES", "1000000");
                env.put("CANDOR_LIMITS_DAILY_TOKENS", "1000000000000");
                Path home = options.work().resolve("cluster-node-" + (i + 1));
                env.put("CANDOR_DATA_DIR", home.resolve("candor-data").toString());
                Progress.say("node " + (i + 1) + ": starting in " + home + " (port offset " + OFFSETS[i] + ")");
                nodes.add(BenchServer.start(options.server(), options.war(), home, env, options.javaOpts(),
                        OFFSETS[i]));
            }
            // Both boot at once against an empty database: the migration runs once, under its lock.
            for (BenchServer node : nodes) {
                node.awaitDeployed(ScenarioSetup.WAR_NAME, Duration.ofMinutes(3));
                ScenarioSetup.awaitPhase(new HealthClient(node.managementPort()), "CACHE", "RUNNING",
                        Duration.ofMinutes(1));
            }
            Progress.say("both nodes deployed; CACHE is RUNNING on both, waiting for Redis on port " + redisPort);
            return nodes;
        } catch (Exception e) {
            nodes.forEach(BenchServer::close);
            throw e;
        }
    }

    private static RedisProcess storm(ResultTable table, Options options, URI chat, List<BenchServer> nodes,
            Path redisServer, int redisPort) throws Exception {
        try (ClientFleet fleet = new ClientFleet(chat, 4, 4, 64)) {
            long start = System.nanoTime();
            fleet.connect(options.clients());
            fleet.awaitAll(c -> c.hasInitializing() || c.isSettled(), Duration.ofSeconds(60));
            int initializing = fleet.count(ChatClient::initializingFirst);
            Progress.say("storm: " + fleet.count(ChatClient::isOpen) + " open, " + initializing
                    + " with 'initializing' first, after " + Progress.seconds(System.nanoTime() - start));
            Progress.pause(Duration.ofNanos(Math.max(0, REDIS_DELAY.toNanos() - (System.nanoTime() - start))));
            RedisProcess redis = RedisProcess.start(redisServer, redisPort, Duration.ofSeconds(10));
            long t0 = System.nanoTime();
            Progress.say("storm: Redis answers PING (T0)");
            fleet.awaitAll(ChatClient::isSettled, Duration.ofSeconds(125));
            Stats ready = Stats.of(fleet.clients().stream().filter(ChatClient::isReady)
                    .map(c -> (c.readyNanos() - t0) / 1_000_000).toList());
            int readyCount = fleet.count(ChatClient::isReady);
            Map<ChatClient.Outcome, Long> outcomes = fleet.clients().stream()
                    .collect(Collectors.groupingBy(ChatClient::outcome, Collectors.counting()));
            table.target("clients with 'initializing' as first frame", initializing + " / " + options.clients(), "all",
                            initializing == options.clients())
                    .figure("ready after T0: min / p50 / p99", ready.min() + " / " + ready.p50() + " / " + ready.p99()
                            + " ms")
                    .target("ready after T0: max", ready.max() + " ms (" + readyCount + " of " + options.clients()
                                    + " ready)", "every client <= " + READY_TARGET_MS + " ms",
                            readyCount == options.clients() && ready.max() <= READY_TARGET_MS)
                    .figure("ready / error frame / closed / failed / waiting", StormScenario.outcomes(outcomes));
            for (int i = 0; i < nodes.size(); i++) {
                Map<String, String> phases = ScenarioSetup.awaitPhase(new HealthClient(nodes.get(i).managementPort()),
                        "FINALIZE", "READY", Duration.ofSeconds(30));
                table.target("node " + (i + 1) + " phase runs", PhaseRuns.describe(phases), "each phase once",
                        PhaseRuns.eachOnce(phases));
            }
            Problems.print("cluster storm", fleet.clients());
            return redis;
        }
    }

    private static void relay(ResultTable table, Options options, URI chat, LlmProviderStub llm,
            List<BenchServer> nodes) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        // Warm-up, discarded: a full round, so that both nodes compile the relay path before either is measured.
        rounds(http, chat, llm, options.conversations(), options.tokens(), 1);
        double both = rounds(http, chat, llm, options.conversations(), options.tokens(), options.rounds());
        Progress.say("relay: 2 nodes: " + Math.round(both) + " tokens/s");
        BenchServer second = nodes.get(1);
        second.close();
        Progress.say("relay: node 2 stopped; waiting 3 s for the balancer to notice");
        Progress.pause(Duration.ofSeconds(3));
        double one = rounds(http, chat, llm, options.conversations(), options.tokens(), options.rounds());
        Progress.say("relay: 1 node: " + Math.round(one) + " tokens/s");
        double offered = options.conversations() * 1000.0 / options.tokenMs();
        table.figure("tokens/s relayed, 2 nodes (offered)", Math.round(both) + " (" + Math.round(offered) + ")")
                .figure("tokens/s relayed, 1 node (offered)", Math.round(one) + " (" + Math.round(offered) + ")")
                .figure("ratio 2 nodes / 1 node", String.format("%.2f", one > 0 ? both / one : 0));
    }

    /** Mean over {@code rounds} of: {@code n} conversations released together, their relayed tokens per second. */
    private static double rounds(HttpClient http, URI chat, LlmProviderStub llm, int n, int tokens, int rounds)
            throws Exception {
        double sum = 0;
        int lost = 0;
        int unclean = 0;
        for (int round = 0; round < rounds; round++) {
            List<CandorConversation> conversations = new ArrayList<>();
            try {
                for (int i = 0; i < n; i++) {
                    conversations.add(CandorConversation.open(http, chat));
                }
                for (CandorConversation c : conversations) {
                    c.ready.get(60, TimeUnit.SECONDS);
                }
                llm.clearRecorded();
                conversations.forEach(c -> c.ask(tokens));
                double rate = 0;
                for (CandorConversation c : conversations) {
                    Sample sample = c.done.get(tokens * 100L + 120_000, TimeUnit.MILLISECONDS);
                    rate += sample.tokensPerSecond();
                    lost += sample.lost();
                    unclean += sample.clean() ? 0 : 1;
                }
                sum += rate;
            } finally {
                conversations.forEach(CandorConversation::close);
            }
        }
        if (lost > 0 || unclean > 0) {
            Progress.say("relay: " + lost + " tokens lost, " + unclean + " runs did not complete");
        }
        return sum / rounds;
    }
}
