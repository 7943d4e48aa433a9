package dev.candor.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * docker/ kept honest without a Docker engine: the management interface is neither bound to every address nor
 * published, the deployment signs users in (production refuses {@code none}), two nodes share one database and one
 * Redis behind a balancer that only sends clients to ready nodes, and, where Debian's docker-compose and haproxy are
 * installed, the compose file and the balancer's configuration validate.
 */
class DockerFilesTest {

    private static final Path DOCKERFILE = Path.of("docker/Dockerfile");
    private static final Path COMPOSE = Path.of("docker/compose.yaml");
    private static final Path BALANCER = Path.of("docker/haproxy/haproxy.cfg");

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
