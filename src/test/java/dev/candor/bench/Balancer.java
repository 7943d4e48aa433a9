package dev.candor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Debian's HAProxy in front of benchmark nodes on 127.0.0.1, routed as docker/haproxy/haproxy.cfg routes compose's
 * nodes: new connections to the ready nodes (by {@code /health/ready}), or to the live ones when none is ready.
 */
final class Balancer implements AutoCloseable {

    static final Path EXECUTABLE = Path.of("/usr/sbin/haproxy");

    private final Process process;
    private final int port;

    private Balancer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts HAProxy on {@code port} in front of {@code nodes}; its configuration and log go to {@code dir}. */
    static Balancer start(Path dir, int port, List<BenchServer> nodes) throws IOException {
        if (!Files.isExecutable(EXECUTABLE)) {
            throw new IllegalStateException(EXECUTABLE + " is missing: apt-get install haproxy (bench/cluster.sh does)");
        }
        Files.createDirectories(dir);
        Path config = dir.resolve("haproxy.cfg");
        Files.writeString(config, configuration(port, nodes));
        Process process = new ProcessBuilder(EXECUTABLE.toString(), "-db", "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start();
        Balancer balancer = new Balancer(process, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("haproxy exited with " + process.exitValue() + "; see "
                        + dir.resolve("haproxy.log"));
            }
            try (var socket = new java.net.Socket("127.0.0.1", port)) {
                return balancer;
            } catch (IOException notYet) {
                Progress.pause(Duration.ofMillis(50));
            }
        }
        balancer.close();
        throw new IllegalStateException("haproxy did not listen on " + port + " within 10 s");
    }

    int port() {
        return port;
    }

    static String configuration(int port, List<BenchServer> nodes) {
        String servers = nodes.stream().map(n -> "    server node" + n.httpPort() + " 127.0.0.1:" + n.httpPort()
                + " check port " + n.managementPort()).collect(Collectors.joining("\n"));
        return """
                global
                    # two descriptors per connection: 8,000 fits a 20,000 open-file limit
                    maxconn 8000
                defaults
                    mode http
                    option forwardfor
                    timeout connect 5s
                    timeout client 180s
                    timeout server 180s
                    timeout tunnel 10m
                    maxconn 8000
                frontend candor
                    bind 127.0.0.1:%1$d
                    http-request set-header X-Forwarded-Proto http
                    use_backend ready if { nbsrv(ready) gt 0 }
                    default_backend alive
                backend ready
                    balance leastconn
                    option httpchk
                    http-check send meth GET uri /health/ready
                    http-check expect status 200
                    default-server inter 500ms fall 2 rise 1
                %2$s
                backend alive
                    balance leastconn
                    option httpchk
                    http-check send meth GET uri /health/live
                    http-check expect status 200
                    option redispatch
                    retries 2
                    default-server inter 1s fall 2 rise 1
                %2$s
                """.formatted(port, servers);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
