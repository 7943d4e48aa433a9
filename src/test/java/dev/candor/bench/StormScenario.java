package dev.candor.bench;

import dev.candor.infrastructure.cache.RedisProcess;
import dev.candor.testsupport.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Storm: N clients connect while CACHE waits for a Redis that is down; Redis is started once every client waits (and
 * at least 5 s after the first connect); measures how long each client takes from Redis answering PING to its
 * {@code ready}, the server's threads and heap meanwhile, and how often each phase ran.
 */
final class StormScenario {

    private static final Duration REDIS_DELAY = Duration.ofSeconds(5);
    /** Clients wait at most 120 s (CANDOR_INIT_TIMEOUTS_MS and the @Timeout ceiling): wait a little longer. */
    private static final Duration READY_WAIT = Duration.ofSeconds(125);
    private static final long READY_TARGET_MS = 1000;
    private static final long THREAD_TARGET = 250;

    /** When things happened, in nanoseconds after the first connect request, and the CPU spent around them. */
    private record Timeline(long connected, long initialized, long redisUp, long t0Nanos, String cacheBefore,
            String connectCpu, String readyCpu) {
    }

    private final ScenarioSetup setup;
    private final int clients;
    private final String name;

    StormScenario(ScenarioSetup setup, int clients) {
        this.setup = setup;
        this.clients = clients;
        this.name = "storm-" + clients;
    }

    ResultTable run() throws IOException {
        int redisPort = Ports.free();
        Map<String, String> env = setup.llmEnvironment();
        env.put("CANDOR_REDIS_URL", "redis://127.0.0.1:" + redisPort);
        env.put("CANDOR_REDIS_CONNECT_WAIT_MS", "60000");
        env.put("CANDOR_INIT_TIMEOUTS_MS", "120000");
        BenchServer server = setup.startServer(name, env);
        ResultTable table;
        try (server) {
            HealthClient health = new HealthClient(BenchServer.MANAGEMENT_PORT);
            ScenarioSetup.awaitPhase(health, "CACHE", "RUNNING", Duration.ofMinutes(1));
            Progress.say(name + ": CACHE is RUNNING, waiting for Redis on port " + redisPort + " (down)");
            Path redisServer = RedisProcess.findExecutable(Optional.empty(), Optional.of(server.home()))
                    .orElseThrow(() -> new IllegalStateException("no redis-server under " + server.home()));
            table = storm(server, health, redisServer, redisPort);
        }
        ScenarioSetup.addServerLog(name, table, server);
        return table;
    }

    private ResultTable storm(BenchServer server, HealthClient health, Path redisServer, int redisPort)
            throws IOException {
        HealthSampler sampler = HealthSampler.every(health, Duration.ofMillis(200));
        try (ClientFleet fleet = new ClientFleet(ScenarioSetup.CHAT, 4, 4, 64)) {
            CpuUse beforeConnect = CpuUse.now(server);
            long start = System.nanoTime();
            fleet.connect(clients);
            long connected = System.nanoTime() - start;
            fleet.awaitAll(c -> c.hasInitializing() || c.isSettled(), Duration.ofSeconds(30));
            long initialized = System.nanoTime() - start;
            String connectCpu = CpuUse.now(server).since(beforeConnect);
            Progress.say(String.format("%s: %d handshakes in %s, %d with 'initializing' after %s", name,
                    fleet.count(ChatClient::isOpen), Progress.seconds(connected),
                    fleet.count(ChatClient::hasInitializing), Progress.seconds(initialized)));
            Progress.pause(Duration.ofNanos(Math.max(0, REDIS_DELAY.toNanos() - (System.nanoTime() - start))));
            String cacheBefore = health.startup().map(d -> d.get("CACHE")).orElse("?");
            try (RedisProcess redis = RedisProcess.start(redisServer, redisPort, Duration.ofSeconds(10))) {
                long t0 = System.nanoTime();
                CpuUse atT0 = CpuUse.now(server);
                Progress.say(String.format("%s: Redis on port %d answers PING (T0), %s after the first connect; "
                        + "CACHE was %s", name, redis.port(), Progress.seconds(t0 - start), cacheBefore));
                boolean allSettled = fleet.awaitAll(ChatClient::isSettled, READY_WAIT);
                String readyCpu = CpuUse.now(server).since(atT0);
                Progress.say(name + ": " + fleet.count(ChatClient::isReady) + " of " + clients + " ready, "
                        + (allSettled ? "all settled" : "some still waiting after " + READY_WAIT.toSeconds() + " s"));
                Progress.pause(Duration.ofSeconds(1));
                HealthSampler.Peaks peaks = sampler.stop();
                long threads = threadSummary(server, allSettled && fleet.count(ChatClient::isReady) == clients);
                Map<String, String> phases = ScenarioSetup.awaitPhase(health, "FINALIZE", "READY",
                        Duration.ofSeconds(30));
                Progress.say(name + ": /health/started data: " + phases);
                Timeline timeline = new Timeline(connected, initialized, t0 - start, t0, cacheBefore, connectCpu,
                        readyCpu);
                return table(fleet.clients(), timeline, peaks, phases, threads);
            } catch (IllegalStateException e) {
                dumpOnFailure(server, e);
                throw e;
            }
        } finally {
            sampler.stop();
        }
    }

    /** Dumps the server's threads after the storm, prints their groups and returns how many there are. */
    private long threadSummary(BenchServer server, boolean healthy) throws IOException {
        Path dump = server.dumpThreads(name + (healthy ? "" : "-not-all-ready"));
        String text = Files.readString(dump);
        Progress.say(name + ": server thread dump " + dump + ": " + ThreadSummary.describe(text, 8));
        return ThreadSummary.total(text);
    }

    private void dumpOnFailure(BenchServer server, Exception failure) {
        try {
            Path dump = server.dumpThreads(name + "-failure");
            Progress.say(name + ": " + failure.getMessage() + "; thread dump in " + dump);
        } catch (IOException | RuntimeException e) {
            Progress.say(name + ": no thread dump: " + e.getMessage());
        }
    }

    private ResultTable table(List<ChatClient> all, Timeline timeline, HealthSampler.Peaks peaks,
            Map<String, String> phases, long threads) {
        Stats ready = Stats.of(all.stream().filter(ChatClient::isReady)
                .map(c -> (c.readyNanos() - timeline.t0Nanos()) / 1_000_000).toList());
        Map<ChatClient.Outcome, Long> outcomes = all.stream()
                .collect(Collectors.groupingBy(ChatClient::outcome, Collectors.counting()));
        long readyCount = outcomes.getOrDefault(ChatClient.Outcome.READY, 0L);
        long initializingFirst = all.stream().filter(ChatClient::initializingFirst).count();
        ResultTable table = new ResultTable("storm N=" + clients);
        table.target("clients with 'initializing' as first frame", initializingFirst + " / " + clients, "all",
                        initializingFirst == clients)
                .figure("handshake per client (request to open)", ClientFleet.handshakes(all).describe())
                .figure("handshakes done / all 'initializing' received", Progress.seconds(timeline.connected())
                        + " / " + Progress.seconds(timeline.initialized()) + " after the first connect")
                .figure("CPU while connecting", timeline.connectCpu())
                .figure("Redis started (T0 = it answers PING)", Progress.seconds(timeline.redisUp())
                        + " after the first connect, all clients waiting; CACHE was " + timeline.cacheBefore())
                .figure("ready after T0: min / p50 / p99", ready.min() + " / " + ready.p50() + " / " + ready.p99()
                        + " ms")
                .target("ready after T0: max", ready.max() + " ms (" + readyCount + " of " + clients + " ready)",
                        "every client <= " + READY_TARGET_MS + " ms", readyCount == clients
                                && ready.max() <= READY_TARGET_MS)
                .figure("CPU from T0 until all settled", timeline.readyCpu())
                .figure("ready / error frame / closed / failed / waiting", outcomes(outcomes))
                .figure("initialization_progress frames per client", progressRange(all))
                .figure("server live threads, sampled every 200 ms", "before connecting " + peaks.firstLiveThreads()
                        + ", max " + peaks.maxLiveThreads() + " (" + peaks.samples() + " samples, "
                        + peaks.failures() + " failed)")
                .target("server JVM peak_threads (since boot)", peaks.peakThreads() > 0
                        ? Long.toString(peaks.peakThreads()) : "no reading (" + peaks.samples() + " samples)",
                        "< " + THREAD_TARGET, threadsUnderTarget(peaks, threads))
                .figure("server threads after the storm (jcmd dump)", Long.toString(threads))
                .figure("server heap used, max sampled (no forced GC)", peaks.maxHeapUsedMb() + " MB")
                .target("phase runs", PhaseRuns.describe(phases), "each phase once", PhaseRuns.eachOnce(phases));
        Problems.print(name, all);
        return table;
    }

    /**
     * Threads stayed under the target: the JVM's peak since boot was read at least once, and neither it, the most
     * live threads sampled nor the threads in the dump after the storm reached the target.
     */
    private static boolean threadsUnderTarget(HealthSampler.Peaks peaks, long threadsAfter) {
        return peaks.peakThreads() > 0
                && Math.max(peaks.peakThreads(), Math.max(peaks.maxLiveThreads(), threadsAfter)) < THREAD_TARGET;
    }

    /** "ready / error frame / closed / failed / waiting" counts, in {@link ChatClient.Outcome} order. */
    static String outcomes(Map<ChatClient.Outcome, Long> outcomes) {
        return Arrays.stream(ChatClient.Outcome.values())
                .map(o -> Long.toString(outcomes.getOrDefault(o, 0L))).collect(Collectors.joining(" / "));
    }

    private static String progressRange(List<ChatClient> clients) {
        var stats = clients.stream().mapToInt(ChatClient::progressFrames).summaryStatistics();
        return clients.isEmpty() ? "-" : stats.getMin() + " to " + stats.getMax();
    }
}
