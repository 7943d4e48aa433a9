package dev.candor.bench;

import dev.candor.bench.TokenRelay.Sample;
import java.util.List;

/**
 * Everything measured at one load level: every sample of the direct and the Candor path over the measured rounds, the
 * CPU the server JVM (and, apart, its redis-server and an external database) used while Candor streamed, and, at one
 * conversation, how long each {@code user_message} took to reach the provider.
 */
record LevelResult(int conversations, int rounds, List<Sample> direct, List<Sample> candor, long windowNanos,
        long serverCpuNanos, long otherCpuNanos, long[] beforeCallMicros, String failure) {

    static LevelResult failed(int conversations, String failure) {
        return new LevelResult(conversations, 0, List.of(), List.of(), 0, 0, 0, new long[0], failure);
    }

    boolean completed() {
        return failure == null;
    }

    Spread directTtft() {
        return ttft(direct);
    }

    Spread candorTtft() {
        return ttft(candor);
    }

    /** Candor's TTFT percentile minus the direct one (the same percentile), in µs. */
    long added(java.util.function.ToLongFunction<Spread> percentile) {
        return percentile.applyAsLong(candorTtft()) - percentile.applyAsLong(directTtft());
    }

    long tokensRelayed() {
        return candor.stream().mapToLong(Sample::tokens).sum();
    }

    /** Conversations × their mean relay rate (first to last token): the rate while all of them stream. */
    double relayedPerSecond() {
        return rate(candor);
    }

    double directPerSecond() {
        return rate(direct);
    }

    int lost() {
        return candor.stream().mapToInt(Sample::lost).sum();
    }

    int reordered() {
        return candor.stream().mapToInt(Sample::reordered).sum();
    }

    /** Conversations that did not end with {@code agent_completed} (error, cancel, close, timeout). */
    long unclean() {
        return candor.stream().filter(s -> !s.clean()).count();
    }

    long frames() {
        return candor.stream().mapToLong(Sample::frames).sum();
    }

    double serverCpuMicrosPerToken() {
        return tokensRelayed() == 0 ? Double.NaN : serverCpuNanos / 1000.0 / tokensRelayed();
    }

    double otherCpuMicrosPerToken() {
        return tokensRelayed() == 0 ? Double.NaN : otherCpuNanos / 1000.0 / tokensRelayed();
    }

    private static Spread ttft(List<Sample> samples) {
        return Spread.of(samples.stream().mapToLong(Sample::ttftMicros).filter(t -> t >= 0).toArray());
    }

    private double rate(List<Sample> samples) {
        return conversations * samples.stream().mapToDouble(Sample::tokensPerSecond).average().orElse(0);
    }
}
