package dev.candor.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * docker/ kept honest without a Docker engine: the management interface is neither bound to every address nor
 * published, the deployment signs users in (production refuses {@code none}), two nodes share one database and one
 * Redis behind a balancer that only sends clients to ready nodes, and, where Debian's docker-compose and haproxy are
 * installed, the compose file and the balancer's configuration validate; where Node.js is, the Kubernetes example
 * validates against the API schemas. Prometheus scrapes every node's management interface over the compose network,
 * and Prometheus and Grafana are pinned, provisioned read-only from docker/observability, and hold no committed secret.
 */
class DockerFilesTest {

    private static final Path DOCKERFILE = Path.of("docker/Dockerfile");
    private static final Path COMPOSE = Path.of("docker/compose.yaml");
    private static final Path BALANCER = Path.of("docker/haproxy/haproxy.cfg");
    private static final Path KUBERNETES = Path.of("docker/kubernetes/candor.yaml");
    private static final Path OBSERVABILITY = Path.of("docker/observability");

    @Test
    void theManagementInterfaceStaysInsideTheContainer() throws Exception {
        String dockerfile = Files.readString(DOCKERFILE);
        assertFalse(dockerfile.matches("(?s).*-bmanagement[\"', ]+0\\.0\\.0\\.0.*"), "management bound to 0.0.0.0");
        assertTrue(dockerfile.contains("ENV CANDOR_MANAGEMENT_BIND=127.0.0.1"), dockerfile);
        assertFalse(dockerfile.matches("(?s).*EXPOSE[^\\n]*9990.*"), "9990 exposed");
        String compose = Files.readString(COMPOSE);
        assertFalse(compose.contains("9990"), "compose publishes the management port");
    }

    @Test
    void theComposeDeploymentSignsUsersIn() throws Exception {
        String compose = Files.readString(COMPOSE);
        assertTrue(compose.contains("CANDOR_ENVIRONMENT: production"), compose);
        assertTrue(compose.contains("CANDOR_AUTH_MODE: oidc"), "production refuses CANDOR_AUTH_MODE=none");
        assertTrue(Files.exists(Path.of("docker/keycloak/candor-realm.json")));
    }

    @Test
    void composeRunsTwoNodesBehindABalancerThatProbesReadiness() throws Exception {
        String compose = Files.readString(COMPOSE);
        String balancer = Files.readString(BALANCER);
        for (String node : List.of("candor-1", "candor-2")) {
            assertTrue(compose.contains("  " + node + ":\n    <<: *candor-node"), node + " is not a node service");
            assertTrue(compose.contains("CANDOR_NODE_NAME: " + node), node + " has no node name of its own");
            assertTrue(balancer.matches("(?s).*\\n    server " + node + " " + node + ":8080\\n.*"), node + " not balanced");
        }
        assertTrue(compose.contains("CANDOR_REDIS_URL: redis://redis:6379/0"), "the nodes share one Redis");
        assertTrue(compose.contains("CANDOR_DB_URL: jdbc:postgresql://postgres:5432/candor"), "and one database");
        assertTrue(balancer.contains("http-check send meth GET uri /health/ready"), "no readiness check");
        assertTrue(balancer.contains("check port 9990"), "the check must reach the management interface");
        assertTrue(balancer.contains("timeout tunnel"), "WebSockets need a tunnel timeout");
        // With no node ready, clients still reach a live node and wait there for real progress.
        assertTrue(balancer.contains("use_backend ready if { nbsrv(ready) gt 0 }"), balancer);
        assertTrue(balancer.contains("http-check send meth GET uri /health/live"), balancer);
        // The nodes believe forwarded client addresses from the balancer's fixed address, and from no one else.
        assertTrue(balancer.contains("option forwardfor"), balancer);
        assertTrue(compose.contains("ipv4_address: 172.28.0.10") && compose.contains(
                "CANDOR_WS_TRUSTED_PROXIES: 172.28.0.10"), "trusted proxy and balancer address differ");
        // Only the balancer publishes the application port.
        assertEquals(1, compose.split("\"8080:8080\"", -1).length - 1, compose);
    }

    @Test
    void theBalancerConfigurationValidates() throws Exception {
        Path tool = Path.of("/usr/sbin/haproxy");
        assumeTrue(Files.isExecutable(tool), "Debian's haproxy is not installed here");
        Process process = new ProcessBuilder(tool.toString(), "-c", "-f", BALANCER.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("Configuration file is valid"), output);
    }

    @Test
    void theKubernetesExampleValidatesAgainstTheApiSchemas() throws Exception {
        assumeTrue(onPath("node") && onPath("npm"), "Node.js is not installed here");
        Path dir = Path.of("target/k8s-validate");
        Files.createDirectories(dir);
        for (String file : List.of("package.json", "package-lock.json", "validate.mjs")) {
            Files.copy(Path.of("src/test/k8s", file), dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(dir.resolve("node_modules/kubernetes-models"))) {
            assertEquals(0, run(dir, "npm", "ci", "--no-audit", "--no-fund").exit, "npm ci failed");
        }
        Result valid = run(dir, "node", "validate.mjs", KUBERNETES.toAbsolutePath().toString());
        assertEquals(0, valid.exit, valid.output);
        for (String object : List.of("Deployment/candor", "Service/candor", "PodDisruptionBudget/candor")) {
            assertTrue(valid.output.contains("VALID " + object + "\n"), valid.output);
        }
        // The validator refuses what the API server would.
        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, Files.readString(KUBERNETES).replace("containerPort: 8080", "containerPort: http"));
        Result invalid = run(dir, "node", "validate.mjs", broken.toAbsolutePath().toString());
        assertEquals(1, invalid.exit, invalid.output);
        assertTrue(invalid.output.contains("INVALID Deployment/candor"), invalid.output);

        String manifest = Files.readString(KUBERNETES);
        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
            assertTrue(manifest.contains(probe + ":"), probe);
        }
        assertTrue(manifest.contains("path: /health/started") && manifest.contains("path: /health/ready")
                && manifest.contains("path: /health/live"), "the probes map to /health/*");
        assertTrue(manifest.contains("fieldPath: status.podIP"), "management bound to the pod address, not 0.0.0.0");
    }

    private record Result(int exit, String output) {
    }

    private static Result run(Path dir, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(180, TimeUnit.SECONDS), String.join(" ", command) + " did not end");
        return new Result(process.exitValue(), output);
    }

    private static boolean onPath(String program) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }

    @Test
    void composeRunsPrometheusAndGrafanaProvisionedFromTheRepository() throws Exception {
        String compose = Files.readString(COMPOSE);
        // pinned versions, never latest
        assertTrue(compose.matches("(?s).*\n    image: prom/prometheus:v3\\.\\d+\\.\\d+\n.*"), "Prometheus 3.x.y");
        assertTrue(compose.matches("(?s).*\n    image: grafana/grafana:12\\.\\d+\\.\\d+\n.*"), "Grafana 12.x.y");
        // the repository's files, read-only, where the configuration and the provider look for them
        assertTrue(compose.contains("- ./observability/prometheus:/etc/prometheus/candor:ro\n"), compose);
        assertTrue(compose.contains("- --config.file=/etc/prometheus/candor/prometheus.yml\n"), compose);
        assertTrue(compose.contains("- ./observability/grafana/provisioning:/etc/grafana/provisioning:ro\n"), compose);
        assertTrue(compose.contains("- ./observability/grafana/dashboards:/etc/grafana/dashboards:ro\n"), compose);
        assertTrue(Files.readString(OBSERVABILITY.resolve("grafana/provisioning/dashboards/candor.yml"))
                .contains("path: /etc/grafana/dashboards\n"), "the provider does not read the mounted dashboards");
        // the admin password comes from the environment; no default secret is committed
        assertTrue(compose.contains("GF_SECURITY_ADMIN_PASSWORD: ${GRAFANA_ADMIN_PASSWORD:-}\n"), compose);
        assertEquals(1, compose.split("GF_SECURITY_ADMIN_PASSWORD:", -1).length - 1, compose);
        // their pages on this machine's loopback only; the nodes' management port stays unpublished (above)
        assertTrue(compose.contains("- \"127.0.0.1:9090:9090\"\n") && compose.contains("- \"127.0.0.1:3000:3000\"\n"),
                compose);
        assertFalse(compose.matches("(?s).*- \"(9090|3000):.*"), "published on every address");
    }

    @Test
    void prometheusScrapesEveryNodesManagementInterface() throws Exception {
        String compose = Files.readString(COMPOSE);
        String prometheus = Files.readString(OBSERVABILITY.resolve("prometheus/prometheus.yml"));
        assertTrue(prometheus.contains("metrics_path: /prometheus\n"), prometheus);
        assertTrue(prometheus.contains("- targets: [\"candor-1:9990\", \"candor-2:9990\"]\n"), prometheus);
        // reachable: bound on the compose network (and, above, published nowhere)
        assertTrue(compose.contains("CANDOR_MANAGEMENT_BIND: 0.0.0.0\n"), compose);
        // the image's entrypoint boots with --stability=community: the nodes must not replace it
        String node = compose.substring(compose.indexOf("x-candor-node:"), compose.indexOf("x-candor-environment:"));
        String services = compose.substring(compose.indexOf("\n  candor-1:\n"), compose.indexOf("\n  postgres:\n"));
        for (String block : List.of(node, services)) {
            assertFalse(block.contains("entrypoint:") || block.contains("command:"), block);
        }
        // ... and the image's server boots with it (registry=prometheus is a "community" resource)
        String entrypoint = Files.readString(DOCKERFILE).lines().filter(line -> line.startsWith("ENTRYPOINT"))
                .findFirst().orElse("");
        assertTrue(entrypoint.contains("standalone.sh --stability=community"), entrypoint);
    }

    @Test
    void theComposeFileValidates() throws Exception {
        Path tool = Path.of("/usr/bin/docker-compose");
        assumeTrue(Files.isExecutable(tool), "Debian's docker-compose is not installed here");
        Process process = new ProcessBuilder(tool.toString(), "-f", COMPOSE.toString(), "config", "--quiet")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
    }

}
