package dev.candor.bench;

import dev.candor.testsupport.llm.LlmProviderStub;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs the WebSocket benchmarks (see bench/README.md) against fresh copies of the provisioned WildFly on port offset
 * 1000, and prints one table per scenario. A missed target is reported, never turned into a failing exit code.
 */
public final class WebSocketBenchmark {

    private WebSocketBenchmark() {
    }

    public static void main(String[] args) {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
            requireExists(options.server().resolve("bin/standalone.sh"));
            requireExists(options.war());
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        printMachine(options);
        List<ResultTable> tables = new ArrayList<>();
        try (LlmProviderStub llm = LlmProviderStub.start()) {
            Progress.say("LLM stand-in (OpenAI protocol) at " + llm.openAiBaseUrl());
            ScenarioSetup setup = new ScenarioSetup(options, llm);
            if (options.storm()) {
                for (int size : options.stormSizes()) {
                    run(tables, "storm-" + size, () -> new StormScenario(setup, size).run());
                }
            }
            if (options.steady()) {
                run(tables, "steady-" + options.steadyClients(), () -> new SteadyScenario(setup,
                        options.steadyClients(), Duration.ofSeconds(options.holdSeconds())).run());
            }
        }
        printSummary(tables);
    }

    /** One scenario; a scenario that cannot complete is reported as such and the next one still runs. */
    private static void run(List<ResultTable> tables, String name, Scenario scenario) {
        try {
            ResultTable table = scenario.run();
            tables.add(table);
            System.out.println();
            System.out.println(table.render());
        } catch (IOException | RuntimeException e) {
            Progress.say(name + ": DID NOT COMPLETE: " + e);
            tables.add(new ResultTable(name).target("scenario completed", e.toString(), "yes", false));
        }
    }

    /** A scenario's body. */
    @FunctionalInterface
    private interface Scenario {
        ResultTable run() throws IOException;
    }

    private static void printMachine(BenchOptions options) {
        Runtime runtime = Runtime.getRuntime();
        System.out.println("# Candor WebSocket benchmark, " + Instant.now());
        System.out.printf("machine: %d cores, %s RAM, %s %s; JDK %s; open files limit (this JVM): %s%n",
                runtime.availableProcessors(), memory(), System.getProperty("os.name"),
                System.getProperty("os.version"), System.getProperty("java.version"), openFilesLimit());
        System.out.printf("client JVM: max heap %d MiB (%s)%n", runtime.maxMemory() >> 20,
                String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        System.out.printf("server: %s, WAR %s, port offset %d (HTTP %d, management %d)%n", options.server(),
                options.war(), BenchServer.PORT_OFFSET, BenchServer.HTTP_PORT, BenchServer.MANAGEMENT_PORT);
        System.out.println("server JAVA_OPTS: " + options.serverJavaOpts());
        System.out.println();
    }

    private static void printSummary(List<ResultTable> tables) {
        System.out.println();
        System.out.println("## Targets");
        System.out.println("| scenario | target | value | result |");
        System.out.println("| - | - | - | - |");
        for (ResultTable table : tables) {
            for (ResultTable.Row row : table.targets()) {
                System.out.printf("| %s | %s: %s | %s | %s |%n", table.title(), row.metric(), row.target(),
                        row.value(), row.verdict());
            }
        }
    }

    private static String memory() {
        return readLine(Path.of("/proc/meminfo"), "MemTotal:")
                .map(l -> String.format("%.1f GiB", Long.parseLong(l.replaceAll("\\D", "")) / 1024.0 / 1024.0))
                .orElse("?");
    }

    private static String openFilesLimit() {
        return readLine(Path.of("/proc/self/limits"), "Max open files")
                .map(l -> l.replaceAll("\\s+", " ").replace("Max open files ", "soft/hard ").replace(" files", ""))
                .orElse("?");
    }

    private static Optional<String> readLine(Path file, String prefix) {
        try {
            return Files.readAllLines(file).stream().filter(l -> l.startsWith(prefix)).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void requireExists(Path path) {
        if (!Files.exists(path)) {
            throw new IllegalStateException(path + " does not exist: build first (mvn -DskipTests package), or pass "
                    + "--server/--war");
        }
    }
}
