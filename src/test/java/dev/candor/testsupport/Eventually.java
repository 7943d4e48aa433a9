package dev.candor.testsupport;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for a condition in tests, with a bound. */
public final class Eventually {

    private Eventually() {
    }

    /** True as soon as {@code condition} holds, false when it still does not after {@code timeout}. */
    public static boolean within(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            pause(50);
        }
        return condition.getAsBoolean();
    }

    public static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
