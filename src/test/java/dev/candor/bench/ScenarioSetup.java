package dev.candor.bench;

import dev.candor.testsupport.llm.LlmProviderStub;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** What every scenario shares: the options, the LLM stand-in, the server environment and the waits on health. */
final class ScenarioSetup {

    static final String WAR_NAME = "candor.war";
    static final URI CHAT = URI.create("ws://127.0.0.1:" + BenchServer.HTTP_PORT + "/ws/chat");

    private final BenchOptions options;
    private final LlmProviderStub llm;

    ScenarioSetup(BenchOptions options, LlmProviderStub llm) {
        this.options = options;
        this.llm = llm;
    }

    BenchOptions options() {
        return options;
    }

    /** CANDOR_* variables pointing the server at the LLM stand-in; the scenario adds its own. */
    Map<String, String> llmEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CANDOR_LLM_PROVIDER", "openai");
        env.put("CANDOR_LLM_BASE_URL", llm.openAiBaseUrl().toString());
        env.put("CANDOR_LLM_MODEL", "stub-model");
        env.put("CANDOR_LLM_API_KEY", "k");
        return env;
    }

    /** A fresh server in {@code work/<name>}, with its deployment up; prints what it was started with. */
    BenchServer startServer(String name, Map<String, String> env) throws IOException {
        Path home = options.work().resolve(name);
        String javaOpts = options.serverJavaOpts() + (options.flightRecording() ? " -XX:StartFlightRecording=filename="
                + home.resolve("server.jfr") + ",settings=profile,dumponexit=true" : "");
        Progress.say(name + ": starting a fresh server in " + home);
        Progress.say(name + ": env " + env);
        Progress.say(name + ": JAVA_OPTS " + javaOpts);
        BenchServer server = BenchServer.start(options.server(), options.war(), home, env, javaOpts);
        try {
            Progress.say(name + ": server pid " + server.pid() + ", HTTP " + BenchServer.HTTP_PORT + ", management "
                    + BenchServer.MANAGEMENT_PORT);
            server.awaitDeployed(WAR_NAME, Duration.ofMinutes(3));
            Progress.say(name + ": " + WAR_NAME + " deployed");
            return server;
        } catch (RuntimeException | IOException e) {
            server.close();
            throw e;
        }
    }

    /** Polls {@code /health/started} until {@code phase}'s state starts with {@code state}; fails on timeout. */
    static Map<String, String> awaitPhase(HealthClient health, String phase, String state, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Optional<Map<String, String>> last = Optional.empty();
        while (System.nanoTime() < deadline) {
            last = health.startup();
            if (last.isPresent() && last.get().getOrDefault(phase, "").startsWith(state)) {
                return last.get();
            }
            Progress.pause(Duration.ofMillis(250)); // WildFly logs a WARN for every DOWN answer: poll gently
        }
        throw new IllegalStateException(phase + " not " + state + " within " + timeout + "; /health/started data: "
                + last.map(Object::toString).orElse("(no candor-startup check)"));
    }

    /** Adds the server.log counts (read after the server stopped) and prints an excerpt when it has errors. */
    static void addServerLog(String name, ResultTable table, BenchServer server) {
        ServerLog log = server.log();
        table.figure("server.log (after shutdown)", log.counts());
        if (!log.errors().isEmpty() || !log.exceptions().isEmpty() || !log.warnings().isEmpty()) {
            Progress.say(name + ": server.log excerpt (" + server.logFile() + "):\n" + log.excerpt(5));
        }
    }
}
