package dev.candor.bench;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Polls {@code /health/live} at a fixed interval and keeps the peaks of live threads, peak threads and heap. */
final class HealthSampler implements AutoCloseable {

    /** What the samples showed; {@code peakThreads} is the JVM's own peak since it started, as last read. */
    record Peaks(int samples, int failures, long maxLiveThreads, long firstLiveThreads, long peakThreads,
            long maxHeapUsedMb) {
    }

    private final HealthClient health;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "bench-health-sampler");
        thread.setDaemon(true);
        return thread;
    });
    private int samples;
    private int failures;
    private long maxLive;
    private long firstLive = -1;
    private long peak;
    private long maxHeap;

    private HealthSampler(HealthClient health) {
        this.health = health;
    }

    static HealthSampler every(HealthClient health, Duration interval) {
        HealthSampler sampler = new HealthSampler(health);
        sampler.timer.scheduleWithFixedDelay(sampler::sample, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return sampler;
    }

    private void sample() {
        health.live().ifPresentOrElse(live -> record(live), this::failed);
    }

    private synchronized void record(HealthClient.Live live) {
        samples++;
        if (firstLive < 0) {
            firstLive = live.liveThreads();
        }
        maxLive = Math.max(maxLive, live.liveThreads());
        peak = Math.max(peak, live.peakThreads());
        maxHeap = Math.max(maxHeap, live.heapUsedMb());
    }

    private synchronized void failed() {
        failures++;
    }

    synchronized Peaks peaks() {
        return new Peaks(samples, failures, maxLive, firstLive, peak, maxHeap);
    }

    /** Stops sampling and returns the peaks. */
    Peaks stop() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return peaks();
    }

    @Override
    public void close() {
        stop();
    }
}
