package dev.candor.interfaces.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.candor.testsupport.Deployments;
import dev.candor.testsupport.WsClient;
import dev.candor.testsupport.llm.LlmProviderStub;
import java.time.Duration;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every kind of bad input gets its own error code; the connection, and every other one, stays healthy. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class BadInputIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.candor(Deployments.withStub(LlmProviderStub.shared()));
    }

    private WsClient client;
    private WsClient bystander;

    @BeforeEach
    void connectBoth() {
        client = readyClient();
        bystander = readyClient();
    }

    @AfterEach
    void closeBoth() {
        client.close();
        bystander.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            truncated JSON                | {"type":                                              | INVALID_JSON
            not JSON at all               | hello                                                 | INVALID_JSON
            trailing garbage              | {"type":"ping"} x                                     | INVALID_JSON
            no type                       | {"payload":{}}                                        | INVALID_MESSAGE
            type is a number              | {"type":5}                                            | INVALID_MESSAGE
            an array, not an object       | ["ping"]                                              | INVALID_MESSAGE
            payload is a string           | {"type":"user_message","payload":"hi"}                | INVALID_MESSAGE
            content is a number           | {"type":"user_message","payload":{"content":7}}       | INVALID_MESSAGE
            empty content                 | {"type":"user_message","payload":{"content":"  "}}    | INVALID_MESSAGE
            thread_id is an object        | {"type":"user_message","payload":{"content":"a","thread_id":{}}} | INVALID_MESSAGE
            resume with negative seq      | {"type":"resume","payload":{"run_id":"r","after_seq":-1}} | INVALID_MESSAGE
            stop_run without run_id       | {"type":"stop_run","payload":{}}                      | INVALID_MESSAGE
            unknown type                  | {"type":"delete_everything"}                          | UNKNOWN_TYPE
            """)
    void rejectsBadFrameAndStaysOpen(String name, String frame, String code) {
        assertRejected(frame, code);
    }

    @Test
    void rejectsContentOverThirtyTwoThousandCharacters() {
        assertRejected("{\"type\":\"user_message\",\"payload\":{\"content\":\"" + "a".repeat(32_001) + "\"}}",
                "INVALID_MESSAGE");
    }

    @Test
    void rejectsOversizedFrameAndStaysOpen() {
        assertRejected("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(70_000) + "\"}", "MESSAGE_TOO_LARGE");
        assertRejected("{\"type\":\"ping\",\"pad\":\"" + "é".repeat(1_000_000) + "\"}", "MESSAGE_TOO_LARGE");
    }

    @Test
    void rejectsDeeplyNestedJson() {
        JsonNode reply = client.request("[".repeat(30_000) + "]".repeat(30_000));
        assertTrue(WsClient.isError(reply, "INVALID_JSON"), reply.toString());
        assertStillAnswers(client);
    }

    @Test
    void rejectsBinaryFrameAndStaysOpen() {
        client.sendBinary(new byte[] {1, 2, 3});
        JsonNode reply = client.next(Duration.ofSeconds(5));
        assertTrue(WsClient.isError(reply, "UNSUPPORTED_FRAME"), reply.toString());
        assertStillAnswers(client);
        assertStillAnswers(bystander);
    }

    private void assertRejected(String frame, String code) {
        JsonNode reply = client.request(frame);
        assertTrue(WsClient.isError(reply, code), "expected " + code + ", got " + reply);
        assertFalse(reply.path("payload").path("message").asText().isBlank(), reply.toString());
        assertTrue(reply.path("payload").has("retryable"), reply.toString());
        assertStillAnswers(client);
        assertStillAnswers(bystander);
    }

    private static void assertStillAnswers(WsClient ws) {
        JsonNode pong = ws.request("{\"type\":\"ping\"}");
        assertEquals("pong", pong.path("type").asText(), pong.toString());
        assertFalse(ws.isClosedByServer());
    }

    private static WsClient readyClient() {
        WsClient ws = WsClient.connect();
        ws.until(f -> WsClient.isSystem(f, "ready"), Duration.ofSeconds(30));
        return ws;
    }
}
