package dev.candor.bench;

import java.util.Optional;

/**
 * The agent benchmark's targets, each set at one level; a level without a target gets no verdict. A missed target is
 * printed as MISS, never turned into a failing exit code.
 */
final class AgentTargets {

    static final int ONE = 1;
    static final int FIFTY = 50;
    static final int TWO_HUNDRED = 200;
    static final long ADDED_P50_AT_ONE_MICROS = 3_000;
    static final long ADDED_P50_AT_FIFTY_MICROS = 5_000;
    static final long ADDED_P99_AT_FIFTY_MICROS = 25_000;
    /** Relayed rate that counts as every offered token relayed: the stand-in pauses at least token-ms per token. */
    static final double RELAYED_SHARE = 0.95;
    static final double CPU_MICROS_PER_TOKEN = 25;

    /** One target at one level: what it asks, what was measured, and whether it was met. */
    record Verdict(String target, String value, boolean met) {
        String result() {
            return met ? "PASS" : "MISS";
        }
    }

    private AgentTargets() {
    }

    static Optional<Verdict> ttft(LevelResult r) {
        int n = r.conversations();
        if (n == ONE) {
            String target = "added TTFT p50 <= " + Spread.ms(ADDED_P50_AT_ONE_MICROS) + " ms";
            return Optional.of(r.completed() ? new Verdict(target, "p50 " + Spread.ms(r.added(Spread::p50)) + " ms",
                    r.added(Spread::p50) <= ADDED_P50_AT_ONE_MICROS) : new Verdict(target, r.failure(), false));
        }
        if (n == FIFTY) {
            String target = "added TTFT p50 <= " + Spread.ms(ADDED_P50_AT_FIFTY_MICROS) + " ms and p99 <= "
                    + Spread.ms(ADDED_P99_AT_FIFTY_MICROS) + " ms";
            return Optional.of(r.completed() ? new Verdict(target, "p50 " + Spread.ms(r.added(Spread::p50)) + " ms, p99 "
                    + Spread.ms(r.added(Spread::p99)) + " ms", r.added(Spread::p50) <= ADDED_P50_AT_FIFTY_MICROS
                            && r.added(Spread::p99) <= ADDED_P99_AT_FIFTY_MICROS)
                    : new Verdict(target, r.failure(), false));
        }
        return Optional.empty();
    }

    /**
     * Every offered token relayed: none lost or reordered, every run completed, at >= 95% of the rate offered. The
     * rate offered is the nominal one or, when higher, the one measured on the direct path at the same level (the
     * stand-in's pauses can come out shorter than token-ms).
     */
    static Optional<Verdict> throughput(LevelResult r, double nominal) {
        if (r.conversations() != TWO_HUNDRED) {
            return Optional.empty();
        }
        String target = String.format("relayed >= %.0f%% of offered (nominal %.0f tokens/s, or the direct path's rate "
                + "if higher), 0 lost / reordered / runs not completed", RELAYED_SHARE * 100, nominal);
        if (!r.completed()) {
            return Optional.of(new Verdict(target, r.failure(), false));
        }
        double offered = Math.max(nominal, r.directPerSecond());
        return Optional.of(new Verdict(target, String.format("%.0f of %.0f tokens/s, %d / %d / %d",
                r.relayedPerSecond(), offered, r.lost(), r.reordered(), r.unclean()),
                r.relayedPerSecond() >= RELAYED_SHARE * offered && r.lost() == 0 && r.reordered() == 0
                        && r.unclean() == 0));
    }

    static Optional<Verdict> cpu(LevelResult r) {
        if (r.conversations() != TWO_HUNDRED) {
            return Optional.empty();
        }
        String target = String.format("server JVM CPU <= %.0f µs per relayed token", CPU_MICROS_PER_TOKEN);
        if (!r.completed()) {
            return Optional.of(new Verdict(target, r.failure(), false));
        }
        double micros = r.serverCpuMicrosPerToken();
        return Optional.of(new Verdict(target, String.format("%.1f µs", micros), micros <= CPU_MICROS_PER_TOKEN));
    }
}
