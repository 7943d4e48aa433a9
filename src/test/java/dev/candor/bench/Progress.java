package dev.candor.bench;

import java.time.Duration;

/** Timestamped progress lines on standard output, relative to the start of the benchmark. */
final class Progress {

    private static final long START = System.nanoTime();

    private Progress() {
    }

    static void say(String line) {
        System.out.printf("[%7.1fs] %s%n", (System.nanoTime() - START) / 1e9, line);
        System.out.flush();
    }

    /** Sleeps, turning an interrupt into an unchecked exception that ends the benchmark. */
    static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("benchmark interrupted", e);
        }
    }

    static String seconds(long nanos) {
        return String.format("%.2f s", nanos / 1e9);
    }
}
