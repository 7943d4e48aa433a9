package dev.candor.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Prints the agent benchmark: a block per level as it completes, then one summary table and the targets. */
final class AgentReport {

    private final long tokenMs;

    AgentReport(long tokenMs) {
        this.tokenMs = tokenMs;
    }

    /** Tokens per second the stand-in offers at {@code n} conversations: one token every token-ms per stream. */
    double offered(int n) {
        return n * 1000.0 / tokenMs;
    }

    String level(LevelResult r) {
        int n = r.conversations();
        if (!r.completed()) {
            return "### " + n + " conversations: DID NOT COMPLETE: " + r.failure() + "\n";
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format("### %d conversations: %d measured round(s) after a warm-up round; %d direct and %d "
                + "Candor samples%n", n, r.rounds(), r.directTtft().count(), r.candorTtft().count()));
        out.append("| TTFT (ms) | samples | min | p50 | p90 | p99 | max | IQR | stddev |\n");
        out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        out.append(spreadRow("direct to the stand-in", r.directTtft()));
        out.append(spreadRow("via Candor", r.candorTtft()));
        out.append(String.format("| added (via Candor minus direct, per percentile) | | %s | %s | %s | %s | %s | | |%n",
                Spread.ms(r.added(Spread::min)), Spread.ms(r.added(Spread::p50)), Spread.ms(r.added(Spread::p90)),
                Spread.ms(r.added(Spread::p99)), Spread.ms(r.added(Spread::max))));
        out.append(String.format("relay: %d tokens in %d agent_delta frames; lost %d, reordered %d, runs not completed "
                + "%d; %.0f tokens/s relayed (direct path %.0f, offered %.0f)%n", r.tokensRelayed(), r.frames(), r.lost(),
                r.reordered(), r.unclean(), r.relayedPerSecond(), r.directPerSecond(), offered(n)));
        out.append(String.format("CPU while Candor streamed (%.2f s of windows): server JVM %.2f s = %.1f µs per "
                + "relayed token, %.1f ms per conversation; redis-server and external database %.2f s = %.1f µs per "
                + "token%n", r.windowNanos() / 1e9, r.serverCpuNanos() / 1e9, r.serverCpuMicrosPerToken(),
                r.serverCpuNanos() / 1e6 / r.candor().size(), r.otherCpuNanos() / 1e9, r.otherCpuMicrosPerToken()));
        if (r.beforeCallMicros().length > 0) {
            Spread before = Spread.of(r.beforeCallMicros());
            out.append(String.format("of which before the provider call (user_message to the stand-in receiving the "
                    + "request): p50 %s ms, p90 %s ms, max %s ms over %d conversations%n", Spread.ms(before.p50()),
                    Spread.ms(before.p90()), Spread.ms(before.max()), before.count()));
        }
        return out.toString();
    }

    private static String spreadRow(String path, Spread s) {
        return String.format("| %s | %d | %s | %s | %s | %s | %s | %s | %s |%n", path, s.count(), Spread.ms(s.min()),
                Spread.ms(s.p50()), Spread.ms(s.p90()), Spread.ms(s.p99()), Spread.ms(s.max()), Spread.ms(s.iqr()),
                Spread.ms(s.stddev()));
    }

    /** The table to paste into bench/README.md, then each target with its value. */
    String summary(List<LevelResult> levels) {
        StringBuilder out = new StringBuilder("| conversations | samples | added TTFT p50 / p99 (ms) | spread: added "
                + "min / p90 / max; via Candor IQR, σ (ms) | tokens/s relayed (offered; direct) | lost / reordered | server CPU "
                + "µs/token (redis + db) | TTFT | throughput | CPU |\n");
        out.append("| ---: | ---: | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        List<String> targets = new ArrayList<>();
        for (LevelResult r : levels) {
            int n = r.conversations();
            String ttft = verdict(AgentTargets.ttft(r), n, targets);
            String throughput = verdict(AgentTargets.throughput(r, offered(n)), n, targets);
            String cpu = verdict(AgentTargets.cpu(r), n, targets);
            if (!r.completed()) {
                out.append(String.format("| %d | 0 | did not complete | | | | | %s | %s | %s |%n", n, ttft, throughput,
                        cpu));
                continue;
            }
            Spread candor = r.candorTtft();
            out.append(String.format("| %d | %d | %s / %s | %s / %s / %s; %s, %s | %.0f (%.0f; %.0f) | %d / %d%s | %.1f (%.1f) "
                    + "| %s | %s | %s |%n", n, candor.count(), Spread.ms(r.added(Spread::p50)),
                    Spread.ms(r.added(Spread::p99)), Spread.ms(r.added(Spread::min)), Spread.ms(r.added(Spread::p90)),
                    Spread.ms(r.added(Spread::max)), Spread.ms(candor.iqr()), Spread.ms(candor.stddev()),
                    r.relayedPerSecond(), offered(n), r.directPerSecond(), r.lost(), r.reordered(),
                    r.unclean() == 0 ? "" : " (" + r.unclean() + " runs not completed)", r.serverCpuMicrosPerToken(),
                    r.otherCpuMicrosPerToken(), ttft, throughput, cpu));
        }
        out.append('\n').append("Targets:\n");
        targets.forEach(t -> out.append("- ").append(t).append('\n'));
        return out.toString();
    }

    private static String verdict(Optional<AgentTargets.Verdict> verdict, int n, List<String> targets) {
        verdict.ifPresent(v -> targets.add(String.format("%d conversations: %s: %s: %s", n, v.target(), v.value(),
                v.result())));
        return verdict.map(AgentTargets.Verdict::result).orElse("-");
    }
}
