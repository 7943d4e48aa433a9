package dev.candor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Steady state: a server that is fully up (its own local redis-server), N clients connect and reach {@code ready},
 * then stay idle for the hold time while the server pings them. Measures connect time, heap per connection (after a
 * full GC, against the heap before connecting) and every error, then checks each connection still answers a ping.
 */
final class SteadyScenario {

    private static final double HEAP_TARGET_KIB = 30;
    private static final Duration PONG_WAIT = Duration.ofSeconds(15);

    /** What the run measured, for the table. */
    private record Measurements(long connectWallNanos, String connectCpu, long heapBeforeKiB, long heapLoadedKiB,
            int pongs, HealthSampler.Peaks peaks, long threads) {
    }

    private final ScenarioSetup setup;
    private final int clients;
    private final Duration hold;
    private final String name;

    SteadyScenario(ScenarioSetup setup, int clients, Duration hold) {
        this.setup = setup;
        this.clients = clients;
        this.hold = hold;
        this.name = "steady-" + clients;
    }

    ResultTable run() throws IOException {
        BenchServer server = setup.startServer(name, setup.llmEnvironment());
        ResultTable table;
        try (server) {
            HealthClient health = new HealthClient(BenchServer.MANAGEMENT_PORT);
            Map<String, String> phases = ScenarioSetup.awaitPhase(health, "FINALIZE", "READY", Duration.ofMinutes(2));
            Progress.say(name + ": all phases READY: " + PhaseRuns.describe(phases));
            table = steady(server, health);
        }
        ScenarioSetup.addServerLog(name, table, server);
        return table;
    }

    private ResultTable steady(BenchServer server, HealthClient health) throws IOException {
        Progress.pause(Duration.ofSeconds(2));
        server.jcmd().fullGc();
        long baseKiB = server.jcmd().heapUsedKiB();
        Progress.say(String.format("%s: heap used after full GC, no connections: %.1f MiB", name, baseKiB / 1024.0));
        HealthSampler sampler = HealthSampler.every(health, Duration.ofSeconds(1));
        try (ClientFleet fleet = new ClientFleet(ScenarioSetup.CHAT, 8, 4, 64)) {
            CpuUse beforeConnect = CpuUse.now(server);
            long connectStart = System.nanoTime();
            fleet.connect(clients);
            boolean allSettled = fleet.awaitAll(ChatClient::isSettled, Duration.ofSeconds(120));
            String connectCpu = CpuUse.now(server).since(beforeConnect);
            long connectWall = fleet.clients().stream().filter(ChatClient::isReady).mapToLong(ChatClient::readyNanos)
                    .max().orElse(connectStart) - connectStart;
            Progress.say(String.format("%s: %d of %d ready %s after the first connect%s", name,
                    fleet.count(ChatClient::isReady), clients, Progress.seconds(connectWall),
                    allSettled ? "" : " (some never settled)"));
            holdIdle(fleet, health);
            int readyAfterHold = fleet.count(c -> c.outcome() == ChatClient.Outcome.READY);
            server.jcmd().fullGc();
            long loadedKiB = server.jcmd().heapUsedKiB();
            Progress.say(String.format("%s: heap used after full GC, %d connections open: %.1f MiB", name,
                    readyAfterHold, loadedKiB / 1024.0));
            int pongs = fleet.pingAll(PONG_WAIT);
            Progress.say(name + ": " + pongs + " of " + clients + " answered 'ping' with 'pong'");
            HealthSampler.Peaks peaks = sampler.stop();
            String dump = Files.readString(server.dumpThreads(name));
            Progress.say(name + ": server threads at the end: " + ThreadSummary.describe(dump, 8));
            return table(fleet.clients(), new Measurements(connectWall, connectCpu, baseKiB, loadedKiB, pongs, peaks,
                    ThreadSummary.total(dump)));
        } finally {
            sampler.stop();
        }
    }

    private void holdIdle(ClientFleet fleet, HealthClient health) {
        Progress.say(name + ": holding " + clients + " idle connections for " + hold.toSeconds() + " s");
        long end = System.nanoTime() + hold.toNanos();
        while (System.nanoTime() < end) {
            Progress.pause(Duration.ofNanos(Math.min(Duration.ofSeconds(15).toNanos(), end - System.nanoTime())));
            String threads = health.live().map(l -> l.liveThreads() + " live threads, " + l.heapUsedMb()
                    + " MB heap").orElse("health not answering");
            Progress.say(String.format("%s: %d ready, %d with problems, server pings received %d; server: %s", name,
                    fleet.count(c -> c.outcome() == ChatClient.Outcome.READY),
                    fleet.count(c -> c.firstProblem() != null),
                    fleet.clients().stream().mapToLong(ChatClient::pings).sum(), threads));
        }
    }

    private ResultTable table(List<ChatClient> all, Measurements m) {
        Stats connect = Stats.of(all.stream().filter(ChatClient::isReady)
                .map(c -> (c.readyNanos() - c.requestedNanos()) / 1_000_000).toList());
        Map<ChatClient.Outcome, Long> outcomes = all.stream()
                .collect(Collectors.groupingBy(ChatClient::outcome, Collectors.counting()));
        long failedConnects = outcomes.getOrDefault(ChatClient.Outcome.FAILED, 0L);
        long notReady = clients - outcomes.getOrDefault(ChatClient.Outcome.READY, 0L);
        long notInitializingFirst = clients - all.stream().filter(ChatClient::initializingFirst).count();
        long unexpected = all.stream().mapToLong(ChatClient::unexpectedFrames).sum();
        long missingPongs = clients - m.pongs();
        long errors = notReady + notInitializingFirst + unexpected + missingPongs;
        double perConnection = (m.heapLoadedKiB() - m.heapBeforeKiB()) / (double) clients;
        var serverPings = all.stream().mapToInt(ChatClient::pings).summaryStatistics();
        ResultTable table = new ResultTable("steady " + clients + " connections, " + hold.toSeconds() + " s idle");
        table.figure("connect: first request to last 'ready'", Progress.seconds(m.connectWallNanos()))
                .figure("CPU while connecting", m.connectCpu())
                .figure("handshake per client (request to open)", ClientFleet.handshakes(all).describe())
                .figure("connect per client (request to 'ready')", connect.describe())
                .figure("heap after full GC: before / with connections", String.format("%.1f / %.1f MiB",
                        m.heapBeforeKiB() / 1024.0, m.heapLoadedKiB() / 1024.0))
                .target("heap per connection", String.format("%.2f KiB", perConnection),
                        "< " + (int) HEAP_TARGET_KIB + " KiB", perConnection < HEAP_TARGET_KIB)
                .figure("ready / error frame / closed / failed / waiting (after hold)",
                        StormScenario.outcomes(outcomes))
                .figure("server pings received per client", all.isEmpty() ? "-"
                        : serverPings.getMin() + " to " + serverPings.getMax())
                .figure("'pong' answers to a client 'ping' after the hold", m.pongs() + " / " + clients)
                .target("errors", errors + " (not ready " + notReady + " of which failed connects " + failedConnects
                        + ", initializing not first " + notInitializingFirst + ", unexpected frames " + unexpected
                        + ", missing pongs " + missingPongs + ")", "0", errors == 0)
                .figure("server live threads, sampled every 1 s", "max " + m.peaks().maxLiveThreads()
                        + ", JVM peak_threads " + m.peaks().peakThreads())
                .figure("server heap used, max sampled (no forced GC)", m.peaks().maxHeapUsedMb() + " MB")
                .figure("server threads at the end (jcmd dump)", Long.toString(m.threads()));
        Problems.print(name, all);
        return table;
    }
}
