package dev.candor.interfaces.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.candor.testsupport.Deployments;
import dev.candor.testsupport.WsClient;
import dev.candor.testsupport.llm.LlmProviderStub;
import dev.candor.testsupport.llm.Script;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Thousands of mutated and random frames ({@link FrameFuzzer}, fixed seed) over a few sockets: each one gets a precise
 * answer (an error code the protocol names, a pong, a duplicate_message, or a real run), never INTERNAL_ERROR; every
 * socket, and one that only watched, still answers ping; the server log shows no failure. The build runs it on
 * PostgreSQL, which refuses text that H2 stores.
 *
 * <p>Matching a frame with its answer: each fuzzed frame is followed by a sentinel, a frame of a unique unknown type.
 * The server answers a socket's frames in order, so everything before the sentinel's UNKNOWN_TYPE answers the fuzzed
 * frame. A frame answered by nothing must have started a run; at the end the number of runs seen must match.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class WebSocketFuzzIT {

    private static final long SEED = 0x5EED_F022L;
    private static final int SOCKETS = 4;
    private static final int FRAMES_PER_SOCKET = 1_500;
    private static final Duration ANSWER = Duration.ofSeconds(15);
    private static final Set<String> PRECISE = Set.of("INVALID_JSON", "INVALID_MESSAGE", "UNKNOWN_TYPE",
            "MESSAGE_TOO_LARGE", "THREAD_NOT_FOUND", "THREAD_BUSY", "RUN_NOT_FOUND");
    private static final Set<String> RUN_END = Set.of("agent_completed", "agent_error", "run_cancelled");

    private static final LlmProviderStub STUB = LlmProviderStub.start();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.candor(Deployments.withStub(STUB));
    }

    @AfterAll
    static void stopStub() {
        STUB.close();
    }

    @Test
    void answersEveryFuzzedFramePreciselyAndKeepsEverySocketUp() throws Exception {
        STUB.defaultScript(Script.reply("Noted."));
        ServerLogWindow log = ServerLogWindow.fromNow();
        WsClient bystander = WsClient.ready();
        List<WsClient> sockets = new ArrayList<>();
        for (int i = 0; i < SOCKETS; i++) {
            sockets.add(WsClient.ready());
        }
        ExecutorService pool = Executors.newFixedThreadPool(SOCKETS);
        List<SocketReport> reports = new ArrayList<>();
        try {
            List<Future<SocketReport>> running = new ArrayList<>();
            for (int i = 0; i < SOCKETS; i++) {
                int index = i;
                running.add(pool.submit(() -> fuzz(sockets.get(index), index)));
            }
            for (Future<SocketReport> report : running) {
                reports.add(report.get());
            }
        } finally {
            pool.shutdownNow();
        }

        for (WsClient ws : sockets) {
            assertAnswersPing(ws);
        }
        assertAnswersPing(bystander);
        List<String> problems = new ArrayList<>();
        reports.forEach(r -> problems.addAll(r.problems));
        List<String> logProblems = log.problems();
        System.out.println(summary(reports, log));
        assertTrue(problems.isEmpty(), problems.size() + " frames without a precise answer:\n"
                + String.join("\n", problems.subList(0, Math.min(30, problems.size()))));
        assertTrue(logProblems.isEmpty(), "server.log during the fuzz:\n"
                + String.join("\n", logProblems.subList(0, Math.min(40, logProblems.size()))));
        sockets.forEach(WsClient::close);
        bystander.close();
    }

    private static SocketReport fuzz(WsClient ws, int index) {
        FrameFuzzer fuzzer = new FrameFuzzer(SEED + index, "fuzz" + index);
        SocketReport report = new SocketReport();
        for (int n = 0; n < FRAMES_PER_SOCKET; n++) {
            FrameFuzzer.Frame frame = fuzzer.next();
            String sentinel = "sentinel-" + index + "-" + n;
            ws.send(frame.text());
            ws.send("{\"type\":\"" + sentinel + "\"}");
            List<JsonNode> direct = new ArrayList<>();
            while (true) {
                JsonNode received = ws.next(ANSWER);
                if (received.has("run_id") && received.has("seq")) {
                    report.runEvent(received);
                } else if (WsClient.isError(received, "UNKNOWN_TYPE")
                        && received.path("payload").path("message").asText().contains("'" + sentinel + "'")) {
                    break;
                } else {
                    direct.add(received);
                }
            }
            report.answer(frame, direct);
        }
        // A frame answered by nothing started a run: wait for every run to end, then nothing else may be pending.
        if (!report.runsEnded()) {
            ws.until(received -> {
                if (received.has("run_id") && received.has("seq")) {
                    report.runEvent(received);
                } else {
                    report.problems.add("socket " + index + ": unexpected frame after the last answer: " + received);
                }
                return report.runsEnded();
            }, Duration.ofSeconds(60));
        }
        if (report.runs.size() != report.silent) {
            report.problems.add("socket " + index + ": " + report.silent + " frames got no answer but "
                    + report.runs.size() + " runs started");
        }
        return report;
    }

    private static void assertAnswersPing(WsClient ws) {
        JsonNode pong = ws.request("{\"type\":\"ping\"}");
        assertEquals("pong", pong.path("type").asText(), pong.toString());
        assertFalse(ws.isClosedByServer(), "the server closed a socket");
    }

    private static String summary(List<SocketReport> reports, ServerLogWindow log) {
        Map<String, Integer> answers = new TreeMap<>();
        Map<String, Map<String, Integer>> byKind = new TreeMap<>();
        Map<String, Integer> runEnds = new TreeMap<>();
        int frames = 0;
        for (SocketReport report : reports) {
            report.answers.forEach((k, v) -> answers.merge(k, v, Integer::sum));
            report.byKind.forEach((kind, codes) -> codes.forEach((k, v) ->
                    byKind.computeIfAbsent(kind, x -> new TreeMap<>()).merge(k, v, Integer::sum)));
            report.runs.values().forEach(end -> runEnds.merge(end == null ? "(no end)" : end, 1, Integer::sum));
            frames += report.answers.values().stream().mapToInt(Integer::intValue).sum();
        }
        StringBuilder out = new StringBuilder("WebSocketFuzzIT: " + frames + " fuzzed frames over " + SOCKETS
                + " sockets (seed " + Long.toHexString(SEED) + ")\nanswers:\n");
        answers.forEach((k, v) -> out.append(String.format("  %-28s %6d%n", k, v)));
        out.append("runs started by frames that were valid: ").append(runEnds).append("\nby mutation:\n");
        byKind.forEach((kind, codes) -> out.append(String.format("  %-18s %s%n", kind, codes)));
        out.append(log.summary());
        return out.toString();
    }

    /** What one socket saw: answers per fuzzed frame, the runs that valid frames started, and every problem. */
    private static final class SocketReport {
        final Map<String, Integer> answers = new TreeMap<>();
        final Map<String, Map<String, Integer>> byKind = new TreeMap<>();
        final Map<String, String> runs = new HashMap<>(); // run id -> how it ended (null: not yet)
        final List<String> problems = new ArrayList<>();
        int silent;

        void answer(FrameFuzzer.Frame frame, List<JsonNode> direct) {
            String answer;
            if (direct.isEmpty()) {
                silent++;
                answer = "(run)";
            } else if (direct.size() > 1) {
                answer = "(several)";
                problems.add("several answers " + direct + " to " + shortened(frame));
            } else {
                JsonNode reply = direct.get(0);
                String type = reply.path("type").asText();
                answer = "error".equals(type) ? reply.path("payload").path("error_code").asText() : type;
                if ("error".equals(type) && !PRECISE.contains(answer) || !Set.of("error", "pong",
                        "duplicate_message").contains(type)) {
                    problems.add(answer + " " + reply.path("payload") + " for " + shortened(frame));
                }
            }
            answers.merge(answer, 1, Integer::sum);
            byKind.computeIfAbsent(frame.kind(), k -> new TreeMap<>()).merge(answer, 1, Integer::sum);
        }

        void runEvent(JsonNode event) {
            String runId = event.path("run_id").asText();
            String type = event.path("type").asText();
            runs.putIfAbsent(runId, null);
            if (RUN_END.contains(type)) {
                String code = event.path("payload").path("error_code").asText("");
                runs.put(runId, code.isEmpty() ? type : type + ":" + code);
                if ("INTERNAL_ERROR".equals(code)) {
                    problems.add("run " + runId + " ended with " + event);
                }
            }
        }

        boolean runsEnded() {
            return !runs.containsValue(null);
        }

        private static String shortened(FrameFuzzer.Frame frame) {
            String text = frame.text();
            return frame.kind() + " frame " + (text.length() <= 300 ? text : text.substring(0, 300) + "... ("
                    + text.length() + " chars)");
        }
    }

    /** The part of the server's log written from now on (found through the jboss.home the build passes). */
    private static final class ServerLogWindow {
        // JBoss log manager levels (WARN, ERROR) and java.util.logging ones (WARNING, SEVERE), as server.log writes them
        private static final Pattern WARNING = Pattern.compile(" (WARN|WARNING|ERROR|SEVERE|FATAL) ");
        private static final Pattern OURS = Pattern.compile("\\[(dev\\.candor|org\\.hibernate|com\\.arjuna|io\\.undertow)");
        private final Path file;
        private final long start;

        private final dev.candor.testsupport.ServerLogWindow window;

        private ServerLogWindow(Path file, long start) {
            this.file = file;
            this.start = start;
            this.window = dev.candor.testsupport.ServerLogWindow.fromNow();
        }

        static ServerLogWindow fromNow() throws IOException {
            Path file = Path.of(System.getProperty("jboss.home", "target/server"), "standalone", "log", "server.log");
            return new ServerLogWindow(file, Files.exists(file) ? Files.size(file) : -1);
        }

        List<String> lines() {
            return start < 0 ? List.of() : window.lines();
        }

        /**
         * INTERNAL_ERROR, stack traces, and warnings or errors of Candor, the database layer (Hibernate, the
         * transaction manager) and the WebSocket container.
         */
        List<String> problems() {
            return lines().stream().filter(line -> line.contains("INTERNAL_ERROR") || line.startsWith("\tat ")
                    || line.startsWith("Caused by:") || WARNING.matcher(line).find() && OURS.matcher(line).find())
                    .toList();
        }

        String summary() {
            if (start < 0) {
                return "server.log: not found at " + file + "; not checked\n";
            }
            List<String> lines = lines();
            long parserRefusals = lines.stream().filter(l -> l.contains("rejected a frame the JSON parser refused"))
                    .count();
            List<String> warnings = lines.stream().filter(l -> WARNING.matcher(l).find()).toList();
            return "server.log (" + file + "): " + lines.size() + " lines during the fuzz, " + parserRefusals
                    + " 'JSON parser refused' lines, " + warnings.size() + " WARN/ERROR lines"
                    + (warnings.isEmpty() ? "" : ", e.g.\n  " + String.join("\n  ",
                    warnings.subList(0, Math.min(10, warnings.size())))) + "\n";
        }
    }
}
