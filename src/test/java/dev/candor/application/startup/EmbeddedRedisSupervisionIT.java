package dev.candor.application.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.candor.infrastructure.cache.RedisProcess;
import dev.candor.testsupport.Deployments;
import dev.candor.testsupport.Eventually;
import dev.candor.testsupport.Runs;
import dev.candor.testsupport.WsClient;
import dev.candor.testsupport.llm.LlmProviderStub;
import dev.candor.testsupport.llm.Script;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Development mode supervises the redis-server it started: killed with SIGKILL while an answer streams, the answer
 * still arrives and is stored, clients are told, and the server is started again on the same port and data directory,
 * with exactly one redis-server for that directory afterwards.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class EmbeddedRedisSupervisionIT {

    private static final LlmProviderStub LLM = LlmProviderStub.shared();
    private static final Duration LONG = Duration.ofSeconds(30);
    private static final Path REDIS_DIR = Path.of(System.getenv().getOrDefault("CANDOR_DATA_DIR",
            System.getProperty("user.home") + "/.candor")).resolve("redis");

    @Deployment(testable = false)
    static WebArchive deployment() {
        Map<String, String> config = new HashMap<>(Deployments.withStub(LLM)); // no Redis URL: the local one
        config.put("candor.health.refresh-interval-ms", "500");
        config.put("candor.init.retry-interval-ms", "250");
        config.put("candor.init.timeouts-ms", "60000");
        return Deployments.candor(config);
    }

    @Test
    void aKilledLocalRedisIsStartedAgainOnItsPortWhileTheAnswerGoesOn() throws Exception {
        List<String> pieces = IntStream.range(0, 20).mapToObj(i -> "bit" + i + " ").toList();
        try (WsClient client = WsClient.ready()) {
            ProcessHandle before = redisServer();
            String port = portOf(before);

            LLM.enqueue(Script.reply(pieces.toArray(String[]::new)).everyMs(120));
            client.send(WsClient.userMessage("question", null, "embedded-1"));
            List<JsonNode> frames = new ArrayList<>(client.until(f -> "agent_delta".equals(f.path("type").asText()),
                    LONG));
            before.destroyForcibly();
            frames.addAll(client.runEvents(LONG));
            List<JsonNode> run = frames.stream().filter(f -> f.has("run_id")).toList();
            JsonNode end = Runs.last(run);
            assertEquals("agent_completed", end.path("type").asText(), end.toString());
            assertEquals(String.join("", pieces), end.path("payload").path("content").asText());

            client.awaitSeen(f -> WsClient.isSystem(f, "reinitializing")
                    && "CACHE".equals(f.path("payload").path("phase").asText()), 1, LONG);
            client.awaitSeen(f -> WsClient.isSystem(f, "ready"), 2, LONG); // ready again (maybe before the answer)

            ProcessHandle after = redisServer();
            assertNotEquals(before.pid(), after.pid());
            assertEquals(port, portOf(after), "restarted on another port");
            assertTrue(Eventually.within(Duration.ofSeconds(5), () -> !before.isAlive()));
            long servers = ProcessHandle.allProcesses().filter(ProcessHandle::isAlive).filter(p -> {
                String command = commandLine(p);
                return command.contains("redis-server") && command.endsWith(":" + port);
            }).count();
            assertEquals(1, servers, "redis-servers on port " + port);

            String threadId = run.get(0).path("thread_id").asText();
            client.send(WsClient.userMessage("again", threadId, "embedded-2"));
            assertEquals("agent_completed", Runs.last(client.runEvents(LONG)).path("type").asText());
            assertEquals(4, Runs.thread(threadId).path("messages").size());
        }
    }

    private static ProcessHandle redisServer() throws Exception {
        Path pidFile = REDIS_DIR.resolve(RedisProcess.PID_FILE);
        assertTrue(Eventually.within(Duration.ofSeconds(10), () -> Files.exists(pidFile)), "no " + pidFile);
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        return ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("redis-server " + pid + " is not running"));
    }

    /** The process's command line as Linux shows it (after redis-server renamed itself), or "". */
    private static String commandLine(ProcessHandle process) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline")).replace('\0', ' ')
                    .strip();
        } catch (java.io.IOException | RuntimeException e) {
            return "";
        }
    }

    /** redis-server renames itself "<executable> 127.0.0.1:PORT" in its command line. */
    private static String portOf(ProcessHandle process) {
        String command = commandLine(process);
        assertTrue(command.matches(".*redis-server.*:\\d+$"), "not a redis-server: " + command);
        return command.substring(command.lastIndexOf(':') + 1);
    }
}
