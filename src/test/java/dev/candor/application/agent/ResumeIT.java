package dev.candor.application.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.candor.testsupport.Deployments;
import dev.candor.testsupport.Runs;
import dev.candor.testsupport.WsClient;
import dev.candor.testsupport.llm.LlmProviderStub;
import dev.candor.testsupport.llm.Script;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A run outlives its socket; resume replays from Redis after a seq and continues live, with no gap or duplicate. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ResumeIT {

    private static final LlmProviderStub STUB = LlmProviderStub.start();
    private static final Duration RUN = Duration.ofSeconds(30);

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.candor(Deployments.withStub(STUB));
    }

    @BeforeEach
    void reset() {
        STUB.reset();
    }

    @Test
    void reconnectingAndResumingFromTheLastSeqSeenDeliversTheRest() {
        Script slow = Script.empty().tokens(60).everyMs(25);
        STUB.enqueue(slow);
        List<JsonNode> seen = new ArrayList<>();
        try (WsClient first = WsClient.ready()) {
            first.send(WsClient.userMessage("Stream for a while", null, null));
            seen.addAll(first.until(f -> f.path("seq").asInt() >= 10, RUN));
        } // the socket closes mid-run; the run goes on on the server
        String runId = Runs.last(seen).path("run_id").asText();
        long lastSeq = Runs.last(seen).path("seq").asLong();

        try (WsClient second = WsClient.ready()) {
            second.send("{\"type\":\"resume\",\"payload\":{\"run_id\":\"" + runId + "\",\"after_seq\":" + lastSeq + "}}");
            List<JsonNode> rest = second.runEvents(RUN);

            List<JsonNode> all = new ArrayList<>(seen);
            all.addAll(rest);
            for (int i = 0; i < all.size(); i++) {
                assertEquals(i + 1, all.get(i).path("seq").asInt(), "gap or duplicate at " + all.get(i));
            }
            JsonNode completed = Runs.last(all);
            assertEquals("agent_completed", completed.path("type").asText());
            assertEquals(slow.fullText(), Runs.deltas(all));
            assertEquals(slow.fullText(), completed.path("payload").path("content").asText());
        }
    }

    @Test
    void aSecondClientCanFollowTheSameRunFromTheStart() {
        Script slow = Script.empty().tokens(40).everyMs(25);
        STUB.enqueue(slow);
        try (WsClient owner = WsClient.ready(); WsClient watcher = WsClient.ready()) {
            owner.send(WsClient.userMessage("Two viewers", null, null));
            List<JsonNode> ownerStart = owner.until(f -> f.path("seq").asInt() >= 5, RUN);
            String runId = Runs.last(ownerStart).path("run_id").asText();

            watcher.send("{\"type\":\"resume\",\"payload\":{\"run_id\":\"" + runId + "\",\"after_seq\":0}}");
            List<JsonNode> watched = watcher.runEvents(RUN);
            List<JsonNode> owned = new ArrayList<>(ownerStart);
            owned.addAll(owner.runEvents(RUN));

            assertEquals(Runs.types(owned), Runs.types(watched));
            for (int i = 0; i < watched.size(); i++) {
                assertEquals(i + 1, watched.get(i).path("seq").asInt());
            }
            assertEquals(slow.fullText(), Runs.deltas(watched));
        }
    }

    @Test
    void resumingAFinishedRunReplaysItsStoredEvents() {
        STUB.enqueue(Script.reply("Done ", "already."));
        List<JsonNode> original;
        try (WsClient client = WsClient.ready()) {
            client.send(WsClient.userMessage("Quick one", null, null));
            original = client.runEvents(RUN);
        }
        try (WsClient later = WsClient.ready()) {
            String runId = Runs.last(original).path("run_id").asText();
            later.send("{\"type\":\"resume\",\"payload\":{\"run_id\":\"" + runId + "\",\"after_seq\":2}}");
            List<JsonNode> replayed = later.runEvents(RUN);
            assertEquals(original.subList(2, original.size()).toString(), replayed.toString());
        }
    }

    @Test
    void resumingAnUnknownRunIsAnError() {
        try (WsClient client = WsClient.ready()) {
            JsonNode reply = client.request("{\"type\":\"resume\",\"payload\":{\"run_id\":\"nope\",\"after_seq\":0}}");
            assertTrue(WsClient.isError(reply, "RUN_NOT_FOUND"), reply.toString());
        }
    }
}
