package dev.candor.interfaces.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.candor.testsupport.Deployments;
import dev.candor.testsupport.Http;
import dev.candor.testsupport.Runs;
import dev.candor.testsupport.WsClient;
import dev.candor.testsupport.llm.LlmProviderStub;
import dev.candor.testsupport.llm.Script;
import java.net.URI;
import java.time.Duration;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The threads API: newest first and paged, rename, delete, and clear errors. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ThreadResourceIT {

    private static final LlmProviderStub STUB = LlmProviderStub.start();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.candor(Deployments.withStub(STUB));
    }

    @Test
    void listsRenamesAndDeletesThreads() throws Exception {
        String older = newThread("older thread");
        String newer = newThread("newer thread");

        JsonNode page = JSON.readTree(Http.get(URI.create(Http.APP + "api/threads?page=0&size=1")).body());
        assertEquals(1, page.path("items").size());
        assertEquals(newer, page.path("items").get(0).path("id").asText(), "newest first");
        assertTrue(page.path("total").asLong() >= 2);
        JsonNode second = JSON.readTree(Http.get(URI.create(Http.APP + "api/threads?page=1&size=1")).body());
        assertEquals(older, second.path("items").get(0).path("id").asText());

        var renamed = Http.send("PATCH", URI.create(Http.APP + "api/threads/" + older), "{\"title\":\"Renamed\"}");
        assertEquals(200, renamed.statusCode(), renamed.body());
        assertEquals("Renamed", Runs.thread(older).path("thread").path("title").asText());
        var invalid = Http.send("PATCH", URI.create(Http.APP + "api/threads/" + older), "{\"title\":\"\"}");
        assertEquals(400, invalid.statusCode());
        assertTrue(invalid.body().contains("INVALID_MESSAGE"), invalid.body());

        assertEquals(204, Http.send("DELETE", URI.create(Http.APP + "api/threads/" + older), null).statusCode());
        assertEquals(404, Http.get(URI.create(Http.APP + "api/threads/" + older + "/messages")).statusCode());
        assertEquals(404, Http.send("DELETE", URI.create(Http.APP + "api/threads/" + older), null).statusCode());
    }

    private static String newThread(String text) {
        STUB.enqueue(Script.reply("ok"));
        try (WsClient client = WsClient.ready()) {
            client.send(WsClient.userMessage(text, null, null));
            return Runs.last(client.runEvents(Duration.ofSeconds(20))).path("thread_id").asText();
        }
    }
}
