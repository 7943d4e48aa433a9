package dev.candor.bench;

import java.time.Duration;

/** CPU time used so far by the server JVM and by this (client) JVM, to tell who spent a window's CPU. */
record CpuUse(long serverNanos, long clientNanos, long wallNanos) {

    static CpuUse now(BenchServer server) {
        return new CpuUse(cpu(ProcessHandle.of(server.pid()).orElse(null)), cpu(ProcessHandle.current()),
                System.nanoTime());
    }

    /** "server 3.1 s, client 4.2 s of CPU in 3.6 s" for the window from {@code start} to this snapshot. */
    String since(CpuUse start) {
        return String.format("server %.1f s, client %.1f s of CPU in %.1f s", (serverNanos - start.serverNanos) / 1e9,
                (clientNanos - start.clientNanos) / 1e9, (wallNanos - start.wallNanos) / 1e9);
    }

    private static long cpu(ProcessHandle process) {
        return process == null ? 0 : process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }
}
