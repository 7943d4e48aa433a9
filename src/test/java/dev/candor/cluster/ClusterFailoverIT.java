package dev.candor.cluster;

import static dev.candor.cluster.ClusterExtension.cluster;
import static dev.candor.cluster.ClusterExtension.messages;
import static dev.candor.cluster.ClusterExtension.ready;
import static dev.candor.cluster.ClusterExtension.stats;
import static dev.candor.cluster.ClusterExtension.stub;
import static dev.candor.testsupport.TwoNodeCluster.Node.A;
import static dev.candor.testsupport.TwoNodeCluster.Node.B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.candor.testsupport.BalancerStats;
import dev.candor.testsupport.Eventually;
import dev.candor.testsupport.Runs;
import dev.candor.testsupport.TwoNodeCluster.Node;
import dev.candor.testsupport.WsClient;
import dev.candor.testsupport.llm.Script;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A run is reachable from the node that does not execute it: {@code stop_run} and {@code tool_approval} through the
 * other node, and {@code resume} through the balancer after the executing node was killed ({@code kill -9}; the next test of the
 * cluster starts it again).
 */
@ExtendWith(ClusterExtension.class)
@Order(2)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFailoverIT {

    private static final Duration RUN = Duration.ofSeconds(30);

    @Test
    @Order(1)
    void stopRunOnNodeBEndsTheRunOnNodeAAndAbortsTheProviderRequestWithinOneSecond() {
        stub().enqueue(Script.empty().text("started ").stall());
        try (WsClient onA = ready(cluster().chat(A)); WsClient onB = ready(cluster().chat(B))) {
            onA.send(WsClient.userMessage("Run long on A", null, null));
            JsonNode delta = Runs.last(onA.until(f -> "agent_delta".equals(f.path("type").asText()), RUN));
            String runId = delta.path("run_id").asText();

            onB.send("{\"type\":\"stop_run\",\"payload\":{\"run_id\":\"" + runId + "\"}}");
            boolean aborted = stub().awaitDisconnect(Duration.ofSeconds(1));
            assertTrue(aborted, "the provider still holds the request 1 s after stop_run on B; node B said "
                    + onB.seen().subList(2, onB.seen().size()));
            List<JsonNode> rest = onA.runEvents(Duration.ofSeconds(10));
            JsonNode cancelled = Runs.last(rest);
            assertEquals("run_cancelled", cancelled.path("type").asText(), rest.toString());
            assertEquals("started ", cancelled.path("payload").path("partial_content").asText());
            assertTrue(onB.seen().stream().noneMatch(f -> "error".equals(f.path("type").asText())),
                    "node B refused the stop: " + onB.seen());
        }
    }

    @Test
    @Order(2)
    void toolApprovalOnNodeBReachesTheRunOnNodeAOnceAndTheToolRuns() {
        stub().enqueue(Script.empty().toolCall("call_far", "everything__echo", "{\"message\":\"from B\"}"),
                Script.reply("Done."));
        try (WsClient onA = ready(cluster().chat(A)); WsClient onB = ready(cluster().chat(B))) {
            onA.send(WsClient.userMessage("Echo after asking", null, null));
            List<JsonNode> asked = onA.until(f -> "tool_approval_required".equals(f.path("type").asText()), RUN);
            String runId = Runs.last(asked).path("run_id").asText();

            onB.send(approval(runId, "call_far", true));
            List<JsonNode> events = onA.runEvents(RUN);
            assertEquals(List.of("tool_executing", "tool_completed", "agent_thinking", "agent_delta", "agent_completed"),
                    Runs.types(events), events.toString());
            assertEquals("Echo: from B", events.get(1).path("payload").path("result").asText());

            onB.send(approval(runId, "call_far", false)); // answered already: nothing is awaited any more
            JsonNode refused = Runs.last(onB.until(f -> "error".equals(f.path("type").asText()), RUN));
            assertEquals("APPROVAL_NOT_PENDING", refused.path("payload").path("error_code").asText(), refused.toString());
            assertEquals(runId, refused.path("payload").path("run_id").asText(), refused.toString());
        }
    }

    private static String approval(String runId, String callId, boolean approved) {
        return "{\"type\":\"tool_approval\",\"payload\":{\"run_id\":\"" + runId + "\",\"call_id\":\"" + callId
                + "\",\"approved\":" + approved + "}}";
    }

    @Test
    @Order(3)
    void aClientOfAKilledNodeReconnectsThroughTheBalancerResumesOnTheOtherAndTheThreadIsUsable() {
        stub().enqueue(Script.empty().tokens(400).everyMs(50));
        stub().defaultScript(Script.reply("After ", "the crash."));
        String runId;
        String threadId;
        List<JsonNode> before;
        BalancerStats beforeConnect = stats();
        WsClient first = ready(cluster().balancerChat());
        Node victim = nodeThatTookOneMore(beforeConnect, stats());
        try (first) {
            first.send(WsClient.userMessage("Count for a long time", null, null));
            before = first.until(f -> "agent_delta".equals(f.path("type").asText()) && f.path("seq").asInt() >= 12,
                    RUN);
            runId = Runs.last(before).path("run_id").asText();
            threadId = Runs.last(before).path("thread_id").asText();
            Eventually.pause(300); // the events just sent reach the run's Redis stream in a batch shortly after
            cluster().kill(victim);
        }
        Node survivor = victim == A ? B : A;
        int lastSeq = Runs.last(before).path("seq").asInt();

        BalancerStats beforeReconnect = stats();
        try (WsClient client = ready(cluster().balancerChat())) {
            // (a first try on the dead node, refused, may be counted there too before it is redispatched)
            assertTrue(stats().totalSessions(survivor) > beforeReconnect.totalSessions(survivor),
                    "the reconnect did not land on " + survivor + ": before " + beforeReconnect + ", after " + stats());
            assertTrue(Eventually.within(Duration.ofSeconds(5), () -> !stats().isUp(victim)),
                    "HAProxy still counts the killed " + victim + " as up: " + stats());
            client.send("{\"type\":\"resume\",\"payload\":{\"run_id\":\"" + runId + "\",\"after_seq\":" + lastSeq
                    + "}}");
            List<JsonNode> after = client.runEvents(RUN);
            for (int i = 0; i < after.size(); i++) {
                assertEquals(lastSeq + 1 + i, after.get(i).path("seq").asInt(), "gap or repeat at " + after.get(i));
            }
            JsonNode end = Runs.last(after);
            String answer = Runs.deltas(before) + Runs.deltas(after);
            JsonNode stored = messages(threadId);
            if ("agent_error".equals(end.path("type").asText())) {
                assertEquals("RUN_INTERRUPTED", end.path("payload").path("error_code").asText(), end.toString());
                assertEquals("unfinished", stored.get(1).path("status").asText(), stored.toString());
            } else {
                assertEquals("agent_completed", end.path("type").asText(), after.toString());
            }
            assertEquals(answer, stored.get(1).path("content").asText(), "the stored answer differs from the events");

            client.send(WsClient.userMessage("And now?", threadId, null));
            JsonNode next = Runs.last(client.runEvents(RUN));
            assertEquals("agent_completed", next.path("type").asText(), "the thread is not usable again: " + next);
        }
    }

    /** The node HAProxy sent exactly one more connection to between {@code before} and {@code after}. */
    private static Node nodeThatTookOneMore(BalancerStats before, BalancerStats after) {
        int toA = after.totalSessions(A) - before.totalSessions(A);
        int toB = after.totalSessions(B) - before.totalSessions(B);
        assertEquals(1, toA + toB, "one new connection through HAProxy expected: before " + before + ", after " + after);
        return toA == 1 ? A : B;
    }
}
