package dev.candor.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * docker/ kept honest without a Docker engine: the management interface is neither bound to every address nor
 * published, the deployment signs users in (production refuses {@code none}), and, where Debian's docker-compose and
 * haproxy are installed, the compose file and the balancer's configuration validate.
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
    void theComposeFileValidates() throws Exception {
        Path tool = Path.of("/usr/bin/docker-compose");
        assumeTrue(Files.isExecutable(tool), "Debian's docker-compose is not installed here");
        Process process = new ProcessBuilder(tool.toString(), "-f", COMPOSE.toString(), "config", "--quiet")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
    }

    @Test
    void theBalancerConfigurationValidatesAndChecksReadiness() throws Exception {
        String config = Files.readString(BALANCER);
        assertTrue(config.contains("uri /health/ready"), "the balancer does not check readiness");
        assertTrue(config.contains("timeout tunnel"), "no tunnel timeout for WebSockets");
        Path tool = Path.of("/usr/sbin/haproxy");
        assumeTrue(Files.isExecutable(tool), "Debian's haproxy is not installed here");
        ProcessBuilder check = new ProcessBuilder(tool.toString(), "-c", "-f", BALANCER.toString())
                .redirectErrorStream(true);
        check.environment().putAll(Map.of("CANDOR_LB_BIND", "127.0.0.1:8080",
                "CANDOR_LB_STATS_BIND", "127.0.0.1:8404", "CANDOR_NODE_A", "candor-a:8080",
                "CANDOR_NODE_A_HEALTH_PORT", "9990", "CANDOR_NODE_B", "candor-b:8080", "CANDOR_NODE_B_HEALTH_PORT", "9990"));
        Process process = check.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
    }
}
