package dev.candor.bench;

import java.util.Map;

/**
 * The database the benchmark server uses: the provisioned default (embedded H2, in the server JVM) or a PostgreSQL
 * that {@code bench/agent.sh --db=postgresql} started (its URL, and its postmaster's PID so that its CPU is counted).
 */
record BenchDatabase(String kind, String url, long pid) {

    static final BenchDatabase H2 = new BenchDatabase("h2", "", 0);
    private static final String POSTGRESQL = "postgresql";

    static BenchDatabase of(String kind, String url, long pid) {
        if (kind.equals(H2.kind())) {
            return H2;
        }
        if (!kind.equals(POSTGRESQL)) {
            throw new IllegalArgumentException("--db=" + kind + ": expected h2 or postgresql");
        }
        if (url.isEmpty()) {
            throw new IllegalArgumentException("--db=postgresql needs --db-url (bench/agent.sh --db=postgresql starts a "
                    + "PostgreSQL and passes it)");
        }
        return new BenchDatabase(POSTGRESQL, url, pid);
    }

    boolean external() {
        return pid > 0 || !url.isEmpty();
    }

    /** CANDOR_DB_* for the server; empty for H2 (the provisioned datasource's defaults). */
    Map<String, String> environment() {
        return url.isEmpty() ? Map.of()
                : Map.of("CANDOR_DB_URL", url, "CANDOR_DB_USER", "candor", "CANDOR_DB_PASSWORD", "candor");
    }

    /** CPU used so far by the database processes outside the server JVM (the postmaster and its backends). */
    long cpuNanos() {
        return pid > 0 ? CpuUse.processNanos(pid) + CpuUse.descendantNanos(pid) : 0;
    }

    String describe() {
        return url.isEmpty() ? "H2 (embedded in the server JVM, the provisioned default)" : "PostgreSQL " + url;
    }
}
