package dev.candor.bench;

import dev.candor.testsupport.llm.LlmProviderStub;
import dev.candor.testsupport.llm.Script;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Time to first token and relay cost that Candor adds to a streamed answer, against the same local provider stand-in
 * called directly, at 1, 50, 200 and 400 concurrent conversations; with the server JVM's CPU per relayed token. Prints
 * a block per level, a summary table and PASS/MISS per target; a missed target never fails the exit code.
 */
public final class AgentLatencyBenchmark {

    private AgentLatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        AgentOptions options;
        try {
            options = AgentOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        AgentReport report = new AgentReport(options.tokenMs());
        List<LevelResult> results = new ArrayList<>();
        try (LlmProviderStub provider = LlmProviderStub.start()) {
            provider.defaultScript(Script.empty().tokens(options.tokens()).everyMs(options.tokenMs()));
            printHeader(options);
            ScenarioSetup setup = new ScenarioSetup(options.bench(), provider);
            Map<String, String> env = setup.llmEnvironment();
            env.putAll(options.database().environment());
            try (BenchServer server = setup.startServer("agent-latency", env)) {
                awaitReady(http);
                LevelRun run = new LevelRun(http, provider, server, options.database(), options.tokens(),
                        options.tokenMs());
                run.warmUp(20);
                System.out.printf("server JVM CPU when idle, after the warm-up: %.1f ms per second (over 5 s)%n",
                        run.idleCpuMillisPerSecond(Duration.ofSeconds(5)));
                for (int n : options.levels()) {
                    LevelResult result = level(run, n, options.rounds(n));
                    results.add(result);
                    System.out.println();
                    System.out.println(report.level(result));
                }
            }
        }
        System.out.println();
        System.out.printf("## Summary (%s; %d tokens per answer, one every %d ms)%n", options.database().kind(),
                options.tokens(), options.tokenMs());
        System.out.println(report.summary(results));
    }

    /** One level; a level that cannot complete is reported and the next one still runs. */
    private static LevelResult level(LevelRun run, int n, int rounds) {
        try {
            return run.run(n, rounds);
        } catch (Exception e) {
            Progress.say(n + " conversations: DID NOT COMPLETE: " + e);
            return LevelResult.failed(n, e.toString());
        }
    }

    private static void printHeader(AgentOptions options) {
        System.out.printf("# Candor agent latency benchmark, %s%n", Instant.now());
        System.out.printf("levels %s; %d tokens per answer, one every %d ms; at least %d samples per level and path%n",
                options.levels(), options.tokens(), options.tokenMs(), options.minSamples());
        System.out.println("database: " + options.database().describe());
        System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores; the client, the provider"
                + " stand-in, the server, its redis-server" + (options.database().external() ? " and PostgreSQL" : "")
                + " share them");
        System.out.println("TTFT: request (direct) or user_message (Candor) to the first token; added TTFT = the "
                + "percentile via Candor minus the same percentile direct. Server CPU: the server JVM's user + system "
                + "time (/proc/<pid>/stat, 10 ms ticks) from the first user_message of a round to its last answer.");
    }

    private static void awaitReady(HttpClient http) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            try (CandorConversation c = CandorConversation.open(http)) {
                if (c.ready.get(30, TimeUnit.SECONDS)) {
                    return;
                }
            } catch (Exception notYet) {
                Progress.pause(Duration.ofMillis(500));
            }
        }
        throw new IllegalStateException("Candor never became ready");
    }
}
