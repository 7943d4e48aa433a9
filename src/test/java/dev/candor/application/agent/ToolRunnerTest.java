package dev.candor.application.agent;

import dev.candor.application.metrics.RunMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.application.Deadlines;
import dev.candor.application.tool.Tool;
import dev.candor.application.tool.ToolRegistry;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ToolRunnerTest {

    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch interrupted = new CountDownLatch(1);
    private final LinkedBlockingQueue<ToolRunner.Outcome> outcomes = new LinkedBlockingQueue<>();
    private ScheduledExecutorService scheduler;
    private ToolRunner runner;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @BeforeEach
    void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        runner = new ToolRunner();
        runner.deadlines = Deadlines.on(scheduler);
        runner.metrics = new RunMetrics(registry);
        runner.tools = new ToolRegistry() {
            @Override
            public Optional<Tool> find(String name) {
                return switch (name) {
                    case "echo" -> Optional.of(tool("echo", args -> "echo " + args.getString("text", "")));
                    case "fails" -> Optional.of(tool("fails", args -> {
                        throw new IllegalStateException("no such record");
                    }));
                    case "sleeps" -> Optional.of(tool("sleeps", args -> {
                        started.countDown();
                        try {
                            Thread.sleep(60_000);
                        } catch (InterruptedException e) {
                            interrupted.countDown();
                            throw e;
                        }
                        return "woke";
                    }));
                    default -> Optional.empty();
                };
            }

            @Override
            public boolean allows(Tool tool, String userId) {
                return true; // tools of no group, not switched off (ToolRegistryTest covers both)
            }
        };
        runner.createPool(2, Executors.defaultThreadFactory());
    }

    @AfterEach
    void stop() {
        runner.stopPool();
        scheduler.shutdownNow();
    }

    @Test
    void returnsTheToolsResultOrItsError() throws InterruptedException {
        runner.run("echo", jakarta.json.Json.createObjectBuilder().add("text", "hi").build(), "u", Duration.ofSeconds(5),
                outcomes::add);
        ToolRunner.Outcome ok = outcomes.poll(5, TimeUnit.SECONDS);
        assertEquals("echo hi", ok.result());
        assertFalse(ok.isError());

        runner.run("fails", JsonValue.EMPTY_JSON_OBJECT, "u", Duration.ofSeconds(5), outcomes::add);
        ToolRunner.Outcome failed = outcomes.poll(5, TimeUnit.SECONDS);
        assertTrue(failed.isError());
        assertEquals("error: no such record", failed.result());

        runner.run("missing", JsonValue.EMPTY_JSON_OBJECT, "u", Duration.ofSeconds(5), outcomes::add);
        assertTrue(outcomes.poll(5, TimeUnit.SECONDS).result().contains("no tool named 'missing'"));

        assertEquals(1.0, calls("echo", "succeeded"));
        assertEquals(1.0, calls("fails", "failed"));
        assertEquals(1.0, calls("unknown", "failed"), "a name the model made up must not become a tag");
    }

    private double calls(String tool, String outcome) {
        return registry.get("candor.tool.calls").tags("tool", tool, "outcome", outcome).counter().count();
    }

    @Test
    void aToolThatOverrunsIsInterruptedAndReportedOnce() throws InterruptedException {
        runner.run("sleeps", JsonValue.EMPTY_JSON_OBJECT, "u", Duration.ofMillis(200), outcomes::add);
        ToolRunner.Outcome timedOut = outcomes.poll(5, TimeUnit.SECONDS);
        assertTrue(timedOut.isError());
        assertTrue(timedOut.result().contains("did not finish within 200 ms"), timedOut.result());
        assertTrue(interrupted.await(5, TimeUnit.SECONDS), "the overrunning tool was not interrupted");
        assertNull(outcomes.poll(300, TimeUnit.MILLISECONDS), "a second outcome was reported");
        assertEquals(1.0, calls("sleeps", "timed_out"));
    }

    @Test
    void aCancelledCallIsInterruptedAndReportsNothing() throws InterruptedException {
        ToolRunner.Call call = runner.run("sleeps", JsonValue.EMPTY_JSON_OBJECT, "u", Duration.ofSeconds(30),
                outcomes::add);
        assertTrue(started.await(5, TimeUnit.SECONDS), "the tool never started");
        call.cancel();
        assertTrue(interrupted.await(5, TimeUnit.SECONDS), "the cancelled tool was not interrupted");
        assertNull(outcomes.poll(300, TimeUnit.MILLISECONDS), "a cancelled call reported an outcome");
        assertEquals(1.0, calls("sleeps", "cancelled"));
    }

    private static Tool tool(String name, ToolBody body) {
        return new Tool() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String description() {
                return name;
            }

            @Override
            public JsonObject parameters() {
                return JsonValue.EMPTY_JSON_OBJECT;
            }

            @Override
            public String execute(JsonObject arguments, String ownerId) throws Exception {
                return body.run(arguments);
            }
        };
    }

    @FunctionalInterface
    private interface ToolBody {
        String run(JsonObject arguments) throws Exception;
    }
}
