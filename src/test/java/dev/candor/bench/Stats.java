package dev.candor.bench;

import java.util.Collection;

/** Nearest-rank percentiles of a set of millisecond samples. */
record Stats(int count, long min, long p50, long p99, long max) {

    static Stats of(Collection<Long> millis) {
        long[] sorted = millis.stream().mapToLong(Long::longValue).sorted().toArray();
        if (sorted.length == 0) {
            return new Stats(0, 0, 0, 0, 0);
        }
        return new Stats(sorted.length, sorted[0], rank(sorted, 50), rank(sorted, 99), sorted[sorted.length - 1]);
    }

    private static long rank(long[] sorted, int percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(index, sorted.length - 1))];
    }

    /** "p50 12 ms, p99 40 ms, max 51 ms" or "no samples". */
    String describe() {
        return count == 0 ? "no samples" : String.format("p50 %d ms, p99 %d ms, max %d ms", p50, p99, max);
    }
}
