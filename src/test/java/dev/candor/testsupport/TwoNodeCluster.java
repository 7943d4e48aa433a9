package dev.candor.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Two Candor nodes behind HAProxy on one PostgreSQL database and one redis-server, run by
 * {@code src/test/scripts/it-cluster.sh} (which needs the build's PostgreSQL and {@code target/server-pg}). Both nodes
 * start at once on a new, empty database. {@link #close()} and a JVM shutdown hook stop everything; the build's
 * post-integration-test phase stops it again in case this JVM died. Logs: {@code target/cluster/}.
 */
public final class TwoNodeCluster implements AutoCloseable {

    /** One of the two nodes. */
    public enum Node {
        A, B;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Its name in HAProxy's configuration and in run leases. */
        public String serverName() {
            return "node-" + id();
        }
    }

    private static final Path SCRIPT = Path.of("src/test/scripts/it-cluster.sh");
    private static final Path DIR = Path.of("target/cluster");

    private final Properties ports;
    private final Thread shutdownHook;

    private TwoNodeCluster(Properties ports, Thread shutdownHook) {
        this.ports = ports;
        this.shutdownHook = shutdownHook;
    }

    /**
     * Starts the cluster; {@code settings} (environment variables {@code CANDOR_*}) go to both nodes. Returns once
     * every process is launched, before the nodes are ready (see {@link #awaitReady}).
     */
    public static TwoNodeCluster start(Map<String, String> settings) {
        Thread hook = new Thread(() -> script("stop"), "stop-cluster");
        Runtime.getRuntime().addShutdownHook(hook);
        script("start", settings);
        Properties ports = new Properties();
        try (InputStream in = Files.newInputStream(DIR.resolve("cluster.properties"))) {
            ports.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new TwoNodeCluster(ports, hook);
    }

    // ---- addresses -----------------------------------------------------------------------------------------------

    private int port(String key) {
        return Integer.parseInt(ports.getProperty(key));
    }

    private int offset(Node node) {
        return port("node." + node.id() + ".offset");
    }

    /** The balancer's chat endpoint. */
    public URI balancerChat() {
        return URI.create("ws://127.0.0.1:" + port("lb.port") + "/ws/chat");
    }

    /** The application through the balancer, ending in "/". */
    public URI balancerApp() {
        return URI.create("http://127.0.0.1:" + port("lb.port") + "/");
    }

    /** One node's own chat endpoint, bypassing the balancer. */
    public URI chat(Node node) {
        return URI.create("ws://127.0.0.1:" + (8080 + offset(node)) + "/ws/chat");
    }

    /** One node's health endpoint {@code which} (started, ready, live) on its management port. */
    public URI health(Node node, String which) {
        return URI.create("http://127.0.0.1:" + (9990 + offset(node)) + "/health/" + which);
    }

    /** HAProxy's statistics of the nodes, as CSV. */
    public URI balancerStats() {
        return URI.create("http://127.0.0.1:" + port("stats.port") + "/;csv");
    }

    /** A new connection to the cluster's database. */
    public Connection database() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port("pg.port") + "/"
                + ports.getProperty("pg.database"), "candor", "candor");
    }

    // ---- control -------------------------------------------------------------------------------------------------

    /**
     * Waits until both nodes answer {@code /health/ready} with 200, or until one of them reports a phase FAILED for
     * 5 s (without clients nothing retries it); true when both are ready. Does not touch the nodes.
     */
    public boolean awaitBootedReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long failedSince = 0;
        while (System.nanoTime() < deadline) {
            if (readyCode(Node.A) == 200 && readyCode(Node.B) == 200) {
                return true;
            }
            boolean failed = readiness(Node.A).contains("\"phase_state\":\"FAILED\"")
                    || readiness(Node.B).contains("\"phase_state\":\"FAILED\"");
            failedSince = failed ? (failedSince == 0 ? System.nanoTime() : failedSince) : 0;
            if (failed && System.nanoTime() - failedSince > Duration.ofSeconds(5).toNanos()) {
                return false;
            }
            Eventually.pause(250);
        }
        return false;
    }

    /**
     * Waits until both nodes are ready and HAProxy sends new connections to both. A node that was killed is started
     * again; a node that is not ready gets a client first, whose wait makes it retry its failed phases (as any client
     * would).
     */
    public void awaitReady(Duration timeout) {
        for (Node node : Node.values()) {
            if (!Files.exists(DIR.resolve("node-" + node.id() + ".pid"))) {
                script("restart", node.id()); // killed by an earlier test
            }
        }
        for (Node node : Node.values()) {
            if (readyCode(node) != 200) {
                try (WsClient client = WsClient.connect(HttpClient.newHttpClient(), chat(node))) {
                    client.until(f -> WsClient.isSystem(f, "ready") || "error".equals(f.path("type").asText()),
                            timeout);
                } catch (AssertionError | RuntimeException e) {
                    // the readiness below says what is wrong
                }
            }
        }
        boolean ready = Eventually.within(timeout, () -> readyCode(Node.A) == 200 && readyCode(Node.B) == 200
                && BalancerStats.read(balancerStats()).isUp(Node.A) && BalancerStats.read(balancerStats()).isUp(Node.B));
        if (!ready) {
            throw new AssertionError("the cluster is not ready after " + timeout + ": A " + readiness(Node.A) + ", B "
                    + readiness(Node.B) + "; HAProxy: " + BalancerStats.read(balancerStats()) + "; logs in " + DIR);
        }
    }

    public int readyCode(Node node) {
        try {
            return Http.get(health(node, "ready")).statusCode();
        } catch (IllegalStateException e) {
            return -1; // not listening (yet, or any more)
        }
    }

    public String readiness(Node node) {
        try {
            return Http.get(health(node, "ready")).body();
        } catch (IllegalStateException e) {
            return "unreachable";
        }
    }

    /** kill -9 of the node's JVM. */
    public void kill(Node node) {
        script("kill", node.id());
    }

    @Override
    public void close() {
        script("stop");
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook stops the cluster (again), harmlessly
        }
    }

    private static void script(String... args) {
        script(args[0], Map.of(), Arrays.copyOfRange(args, 1, args.length));
    }

    /** Runs it-cluster.sh with {@code settings} as its only CANDOR_* environment; output in target/cluster-*.log. */
    private static void script(String action, Map<String, String> settings, String... more) {
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString(), action));
        command.addAll(List.of(more));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(Path.of("target/cluster-script.log").toFile()));
        builder.environment().keySet().removeIf(k -> k.startsWith("CANDOR_"));
        builder.environment().putAll(settings);
        reserved(builder, "candor.test.cluster.lb.port", "CLUSTER_LB_PORT");
        reserved(builder, "candor.test.cluster.stats.port", "CLUSTER_STATS_PORT");
        reserved(builder, "candor.test.cluster.redis.port", "CLUSTER_REDIS_PORT");
        reserved(builder, "candor.test.pg.port", "CLUSTER_PG_PORT");
        try {
            Process process = builder.start();
            if (!process.waitFor(180, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("it-cluster.sh " + action + " did not finish in 180 s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("it-cluster.sh " + action + " failed (" + process.exitValue()
                        + "): see target/cluster-script.log");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** A port the build reserved (build-helper), when this runs in the build. */
    private static void reserved(ProcessBuilder builder, String property, String variable) {
        String value = System.getProperty(property);
        if (value != null && !value.isBlank() && !value.startsWith("${")) {
            builder.environment().put(variable, value);
        }
    }
}
