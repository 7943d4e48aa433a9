package dev.candor.application;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DeadlinesTest {

    @Test
    void checksWhatIsWatchedUntilItIsDoneThenLeavesNoTimerBehind() throws InterruptedException {
        ScheduledThreadPoolExecutor scheduler = (ScheduledThreadPoolExecutor) Executors.newScheduledThreadPool(1);
        Deadlines deadlines = Deadlines.on(scheduler);
        AtomicInteger checks = new AtomicInteger();
        CountDownLatch expired = new CountDownLatch(1);
        long due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(250);
        deadlines.watch(now -> {
            checks.incrementAndGet();
            if (now < due) {
                return false;
            }
            expired.countDown();
            return true;
        });
        assertTrue(expired.await(5, TimeUnit.SECONDS), "the bound never acted");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while ((deadlines.size() > 0 || !scheduler.getQueue().isEmpty()) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(0, deadlines.size());
        assertTrue(scheduler.getQueue().isEmpty(), "the sweep is still scheduled with nothing to watch");
        assertTrue(checks.get() >= 2, "checked only " + checks.get() + " times");
        scheduler.shutdownNow();
    }
}
