package dev.candor.infrastructure.cache;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import dev.candor.testsupport.Eventually;
import redis.clients.jedis.Jedis;

/**
 * Real redis-server processes in the shapes production uses, on free loopback ports with their files in a temporary
 * folder: a master with a replica watched by a sentinel, or a three-master cluster. Built from the redis-server the
 * build unpacks before the tests ({@code candor.test.redis-dir}); {@link #close()} stops every process it started.
 */
final class RedisTopology implements AutoCloseable {

    static final String MASTER_NAME = "candor";
    private static final Duration START = Duration.ofSeconds(10);

    private final Path executable;
    private final Path dir;
    private final List<RedisProcess> processes = new ArrayList<>();

    RedisTopology() throws IOException {
        Path binaries = Path.of(System.getProperty("candor.test.redis-dir", "target/server-content/candor-redis"));
        try (var files = Files.list(binaries)) {
            executable = files.filter(f -> f.getFileName().toString().startsWith("redis-server")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no redis-server in " + binaries));
        }
        dir = Files.createTempDirectory("candor-redis-topology");
    }

    /**
     * Starts one redis-server with {@code options}, working in the temporary folder (a master writes the snapshot for
     * a replica there); {@code configFile} first when given.
     */
    RedisProcess start(Optional<Path> configFile, List<String> options) throws IOException {
        List<String> all = new ArrayList<>(List.of("--dir", dir.toString()));
        all.addAll(options);
        RedisProcess process = RedisProcess.startWith(executable, configFile, RedisProcess.freePort(), all, START);
        processes.add(process);
        return process;
    }

    /** One sentinel watching {@code master} (quorum 1, down after 1 s, a new failover allowed 4 s after the last). */
    RedisProcess sentinel(RedisProcess master) throws IOException {
        Path conf = dir.resolve("sentinel-" + master.port() + ".conf");
        Files.writeString(conf, String.join("\n",
                "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + master.port() + " 1",
                "sentinel down-after-milliseconds " + MASTER_NAME + " 1000",
                "sentinel failover-timeout " + MASTER_NAME + " 2000", ""));
        return start(Optional.of(conf), List.of("--sentinel"));
    }

    RedisProcess replicaOf(RedisProcess master) throws IOException {
        return start(Optional.empty(), List.of("--replicaof", "127.0.0.1", Integer.toString(master.port())));
    }

    /** Three cluster masters sharing the 16384 slots, met and reporting {@code cluster_state:ok}. */
    List<RedisProcess> cluster() throws IOException {
        List<RedisProcess> nodes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            nodes.add(start(Optional.empty(), List.of("--cluster-enabled", "yes", "--cluster-node-timeout", "2000",
                    "--cluster-config-file", "nodes-" + i + ".conf")));
        }
        int[] bounds = {0, 5461, 10923, 16384};
        for (int i = 0; i < 3; i++) {
            try (Jedis node = jedis(nodes.get(i))) {
                node.clusterAddSlots(IntStream.range(bounds[i], bounds[i + 1]).toArray());
                for (RedisProcess other : nodes) {
                    node.clusterMeet("127.0.0.1", other.port());
                }
            }
        }
        for (RedisProcess node : nodes) {
            await(Duration.ofSeconds(15), () -> {
                try (Jedis jedis = jedis(node)) {
                    return jedis.clusterInfo().contains("cluster_state:ok")
                            && jedis.clusterNodes().lines().filter(l -> l.contains("master")).count() == 3;
                }
            }, "cluster node on port " + node.port() + " to see the cluster ok");
        }
        return nodes;
    }

    static Jedis jedis(RedisProcess process) {
        return new Jedis("127.0.0.1", process.port(), 2000);
    }

    /** Waits until {@code condition} holds (a failure to evaluate it counts as not yet); fails naming {@code what}. */
    static void await(Duration limit, BooleanSupplier condition, String what) {
        if (!Eventually.within(limit, () -> {
            try {
                return condition.getAsBoolean();
            } catch (RuntimeException e) {
                return false;
            }
        })) {
            throw new AssertionError("timed out after " + limit.toMillis() + " ms waiting for " + what);
        }
    }

    /** Closes each of {@code parts} that was created (a test's client first, then its servers). */
    static void closeAll(AutoCloseable... parts) throws Exception {
        for (AutoCloseable part : parts) {
            if (part != null) {
                part.close();
            }
        }
    }

    @Override
    public void close() throws IOException {
        processes.forEach(RedisProcess::close);
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
