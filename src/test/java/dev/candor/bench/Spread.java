package dev.candor.bench;

import java.util.Arrays;

/**
 * The spread of a set of microsecond samples: nearest-rank percentiles (with fewer than 100 samples p99 is the
 * highest or second highest sample), quartiles and the standard deviation.
 */
record Spread(int count, long min, long p25, long p50, long p75, long p90, long p99, long max, double stddev) {

    static final Spread NONE = new Spread(0, 0, 0, 0, 0, 0, 0, 0, 0);

    static Spread of(long[] micros) {
        if (micros.length == 0) {
            return NONE;
        }
        long[] sorted = micros.clone();
        Arrays.sort(sorted);
        double mean = Arrays.stream(sorted).average().orElse(0);
        double variance = Arrays.stream(sorted).mapToDouble(v -> (v - mean) * (v - mean)).sum() / sorted.length;
        return new Spread(sorted.length, sorted[0], rank(sorted, 25), rank(sorted, 50), rank(sorted, 75),
                rank(sorted, 90), rank(sorted, 99), sorted[sorted.length - 1], Math.sqrt(variance));
    }

    static long rank(long[] sorted, int percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(index, sorted.length - 1))];
    }

    long iqr() {
        return p75 - p25;
    }

    /** Milliseconds with two decimals, from microseconds. */
    static String ms(double micros) {
        return String.format("%.2f", micros / 1000.0);
    }
}
