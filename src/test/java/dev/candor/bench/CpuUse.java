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

    /**
     * CPU time (user + system, from {@code /proc/<pid>/stat}, so in clock ticks of usually 10 ms) used so far by the
     * process {@code pid}; 0 when it is gone or unreadable.
     */
    static long processNanos(long pid) {
        return cpu(ProcessHandle.of(pid).orElse(null));
    }

    /** The same for the live descendants of {@code pid} (for the server: its {@code redis-server}). */
    static long descendantNanos(long pid) {
        return ProcessHandle.of(pid).map(p -> p.descendants().mapToLong(CpuUse::cpu).sum()).orElse(0L);
    }

    private static long cpu(ProcessHandle process) {
        return process == null ? 0 : process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }
}
