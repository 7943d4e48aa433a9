package dev.candor.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Command line of {@link AgentLatencyBenchmark}: load levels, the answer the stand-in streams, how many samples each
 * level needs, the database, and (for the rest) the shared {@link BenchOptions}.
 */
record AgentOptions(List<Integer> levels, int tokens, long tokenMs, int minSamples, BenchDatabase database,
        BenchOptions bench) {

    static final String USAGE = """
            usage: AgentLatencyBenchmark [--levels=1,50,200,400] [--tokens=200] [--token-ms=10] [--samples=20]
                                         [--db=h2|postgresql --db-url=jdbc:postgresql://... --db-pid=PID]
                                         [--server=...] [--war=...] [--work=...] [--server-java-opts="..."] [--jfr]""";

    static AgentOptions parse(String... args) {
        List<Integer> levels = List.of(1, 50, 200, 400);
        int tokens = 200;
        long tokenMs = 10;
        int samples = 20;
        String db = "h2";
        String dbUrl = "";
        long dbPid = 0;
        List<String> rest = new ArrayList<>();
        for (String arg : args) {
            String value = arg.substring(arg.indexOf('=') + 1);
            if (arg.startsWith("--levels=")) {
                levels = Arrays.stream(value.split(",")).map(String::strip).map(Integer::parseInt).toList();
            } else if (arg.startsWith("--tokens=")) {
                tokens = Integer.parseInt(value);
            } else if (arg.startsWith("--token-ms=")) {
                tokenMs = Long.parseLong(value);
            } else if (arg.startsWith("--samples=")) {
                samples = Integer.parseInt(value);
            } else if (arg.startsWith("--db=")) {
                db = value;
            } else if (arg.startsWith("--db-url=")) {
                dbUrl = value;
            } else if (arg.startsWith("--db-pid=")) {
                dbPid = Long.parseLong(value);
            } else {
                rest.add(arg);
            }
        }
        if (tokens < 2 || tokenMs < 1 || samples < 1 || levels.stream().anyMatch(n -> n < 1)) {
            throw new IllegalArgumentException("--tokens >= 2, --token-ms >= 1, --samples >= 1, levels >= 1\n" + USAGE);
        }
        return new AgentOptions(levels, tokens, tokenMs, samples, BenchDatabase.of(db, dbUrl, dbPid),
                BenchOptions.parse(rest.toArray(String[]::new)));
    }

    /** Rounds of {@code n} concurrent conversations needed for at least {@code minSamples} samples per path. */
    int rounds(int n) {
        return Math.max(1, (minSamples + n - 1) / n);
    }
}
