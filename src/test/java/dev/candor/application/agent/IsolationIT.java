package dev.candor.application.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.candor.domain.thread.ChatThread;
import dev.candor.domain.thread.MessageRole;
import dev.candor.domain.thread.MessageStatus;
import dev.candor.domain.thread.ThreadRepository;
import dev.candor.testsupport.Deployments;
import dev.candor.testsupport.Http;
import dev.candor.testsupport.WsClient;
import dev.candor.testsupport.llm.LlmProviderStub;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A thread of user A is invisible to user B (here: the anonymous user of REST and the socket), through REST and
 * through user_message with A's thread_id; the answer never reveals that it exists.
 */
@ExtendWith(ArquillianExtension.class)
class IsolationIT {

    @Deployment
    static WebArchive deployment() {
        return Deployments.candor(Deployments.withStub(LlmProviderStub.shared()));
    }

    @Inject
    ThreadRepository threads;

    @Test
    void anotherUsersThreadIsNotFoundThroughRest() {
        ChatThread alices = threads.create("alice-" + UUID.randomUUID(), "Alice's secrets");
        threads.append(alices.id(), MessageRole.USER, "my secret", MessageStatus.COMPLETE, null, null);

        var read = Http.get(URI.create(Http.APP + "api/threads/" + alices.id() + "/messages"));
        var missing = Http.get(URI.create(Http.APP + "api/threads/" + UUID.randomUUID() + "/messages"));

        assertEquals(404, read.statusCode());
        assertTrue(read.body().contains("THREAD_NOT_FOUND"), read.body());
        assertEquals(missing.body().replaceAll("[0-9a-f-]{36}", "ID"), read.body().replaceAll("[0-9a-f-]{36}", "ID"),
                "a foreign thread must look exactly like a missing one");
        assertTrue(!Http.get(URI.create(Http.APP + "api/threads?size=100")).body().contains(alices.id()));
    }

    @Test
    void anotherUsersThreadIsNotFoundThroughTheSocket() {
        ChatThread alices = threads.create("alice-" + UUID.randomUUID(), "Alice's secrets");
        try (WsClient mallory = WsClient.ready()) {
            JsonNode reply = mallory.request(WsClient.userMessage("append to it", alices.id(), null));
            assertTrue(WsClient.isError(reply, "THREAD_NOT_FOUND"), reply.toString());
        }
        assertEquals(0, threads.messages(alices.id()).size(), "nothing was appended to Alice's thread");
    }
}
