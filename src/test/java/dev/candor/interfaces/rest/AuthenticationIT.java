package dev.candor.interfaces.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.candor.testsupport.Deployments;
import dev.candor.testsupport.Eventually;
import dev.candor.testsupport.Http;
import dev.candor.testsupport.Keycloak;
import dev.candor.testsupport.Runs;
import dev.candor.testsupport.WsClient;
import dev.candor.testsupport.llm.LlmProviderStub;
import dev.candor.testsupport.llm.Script;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Authentication and isolation against the real Keycloak the build starts (realm {@code candor}: alice and bob are
 * Candor users, carol is not). Every attack below is answered without revealing anything of another user.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AuthenticationIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LONG = Duration.ofSeconds(30);
    private static final LlmProviderStub LLM = LlmProviderStub.shared();
    private static final URI THREADS = URI.create(Http.APP + "api/threads");
    private static final URI TICKET = URI.create(Http.APP + "api/ws-ticket");
    private static final long TICKET_TTL_MS = 3000;

    @Deployment(testable = false)
    static WebArchive deployment() {
        Map<String, String> config = new HashMap<>(Deployments.withStub(LLM));
        config.putAll(Keycloak.candorSettings());
        config.put("candor.auth.ticket-ttl-ms", Long.toString(TICKET_TTL_MS));
        return Deployments.candor(config);
    }

    @Test
    void restNeedsAValidTokenAndTheRole() throws Exception {
        HttpResponse<String> none = Http.send("GET", THREADS, null, null);
        assertEquals(401, none.statusCode(), none.body());
        assertEquals("AUTH_FAILED", JSON.readTree(none.body()).path("error_code").asText());
        assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"), none.headers()
                .toString());

        for (String bad : List.of("garbage", forged(), unsigned())) {
            HttpResponse<String> refused = Http.send("GET", THREADS, null, bad);
            assertEquals(401, refused.statusCode(), refused.body());
            assertFalse(refused.body().contains("Exception"), refused.body());
        }

        HttpResponse<String> alice = Http.send("GET", THREADS, null, Keycloak.token("alice", "alice-password"));
        assertEquals(200, alice.statusCode(), alice.body());

        HttpResponse<String> carol = Http.send("GET", THREADS, null, Keycloak.token("carol", "carol-password"));
        assertEquals(403, carol.statusCode(), carol.body());
        assertEquals("FORBIDDEN", JSON.readTree(carol.body()).path("error_code").asText());

        JsonNode clientConfig = JSON.readTree(Http.get(URI.create(Http.APP + "api/client-config")).body());
        assertEquals("oidc", clientConfig.path("auth_mode").asText());
        assertEquals(Keycloak.issuer(), clientConfig.path("issuer").asText());
        assertEquals("candor-web", clientConfig.path("client_id").asText());
    }

    @Test
    void theHandshakeTakesABearerTokenOrASingleUseTicketAndRefusesTheRestWith1008() throws Exception {
        String aliceToken = Keycloak.token("alice", "alice-password");
        String aliceId = Keycloak.claims(aliceToken).path("sub").asText();
        try (WsClient client = WsClient.connect(WsClient.CHAT, Map.of("Authorization", "Bearer " + aliceToken))) {
            JsonNode ready = Runs.last(client.until(f -> WsClient.isSystem(f, "ready"), LONG));
            assertEquals(aliceId, ready.path("payload").path("user_id").asText());
        }

        for (Map<String, String> headers : List.of(Map.<String, String>of(), Map.of("Authorization", "Bearer junk"),
                Map.of("Authorization", "Bearer " + forged()), Map.of("Authorization", "Basic YWxpY2U6eA=="))) {
            assertRefused(WsClient.connect(WsClient.CHAT, headers), "AUTH_FAILED");
        }
        assertRefused(WsClient.connect(WsClient.CHAT, Map.of("Authorization", "Bearer "
                + Keycloak.token("carol", "carol-password"))), "FORBIDDEN");

        String ticket = JSON.readTree(Http.send("POST", TICKET, null, aliceToken).body()).path("ticket").asText();
        URI withTicket = URI.create(WsClient.CHAT + "?ticket=" + ticket);
        try (WsClient client = WsClient.connect(withTicket, Map.of())) {
            JsonNode ready = Runs.last(client.until(f -> WsClient.isSystem(f, "ready"), LONG));
            assertEquals(aliceId, ready.path("payload").path("user_id").asText());
        }
        assertRefused(WsClient.connect(withTicket, Map.of()), "AUTH_FAILED"); // used once already
        assertRefused(WsClient.connect(URI.create(WsClient.CHAT + "?ticket=made-up"), Map.of()), "AUTH_FAILED");

        JsonNode late = JSON.readTree(Http.send("POST", TICKET, null, aliceToken).body());
        assertEquals(TICKET_TTL_MS / 1000, late.path("expires_in").asLong());
        Eventually.pause(TICKET_TTL_MS + 500); // never used, and now expired
        assertRefused(WsClient.connect(URI.create(WsClient.CHAT + "?ticket=" + late.path("ticket").asText()),
                Map.of()), "AUTH_FAILED");
        assertEquals(401, Http.send("POST", TICKET, null, null).statusCode(), "a ticket needs a token");
    }

    @Test
    void reauthenticateKeepsTheUserAndRefusesAnotherOne() {
        String aliceToken = Keycloak.token("alice", "alice-password");
        try (WsClient client = WsClient.connect(WsClient.CHAT, Map.of("Authorization", "Bearer " + aliceToken))) {
            client.until(f -> WsClient.isSystem(f, "ready"), LONG);
            client.send(reauthenticate(Keycloak.token("alice", "alice-password")));
            JsonNode renewed = client.next(LONG);
            assertTrue(WsClient.isSystem(renewed, "reauthenticated"), renewed.toString());
            assertTrue(renewed.path("payload").path("expires_in").asLong() > 0, renewed.toString());

            client.send(reauthenticate("junk"));
            assertTrue(WsClient.isError(client.next(LONG), "AUTH_FAILED"));

            client.send(reauthenticate(Keycloak.token("bob", "bob-password")));
            assertTrue(WsClient.isError(client.next(LONG), "AUTH_FAILED"));
            assertEquals(1008, client.awaitClose(LONG));
        }
    }

    @Test
    void anExpiredTokenClosesTheSocketUnlessAFreshOneWasSent() {
        String shortLived = Keycloak.shortLivedToken("alice", "alice-password");
        long expiresAt = Keycloak.claims(shortLived).path("exp").asLong();
        try (WsClient lapsing = WsClient.connect(WsClient.CHAT, Map.of("Authorization", "Bearer " + shortLived));
             WsClient renewing = WsClient.connect(WsClient.CHAT, Map.of("Authorization", "Bearer "
                     + Keycloak.shortLivedToken("alice", "alice-password")))) {
            lapsing.until(f -> WsClient.isSystem(f, "ready"), LONG);
            renewing.until(f -> WsClient.isSystem(f, "ready"), LONG);
            renewing.send(reauthenticate(Keycloak.token("alice", "alice-password"))); // lives 300 s
            assertTrue(WsClient.isSystem(renewing.next(LONG), "reauthenticated"));

            JsonNode closing = lapsing.until(f -> "error".equals(f.path("type").asText()), LONG).get(0);
            assertTrue(WsClient.isError(closing, "AUTH_FAILED"), closing.toString());
            assertTrue(closing.path("payload").path("message").asText().contains("expired"), closing.toString());
            assertEquals(1008, lapsing.awaitClose(LONG));
            long closedAt = System.currentTimeMillis() / 1000;
            assertTrue(closedAt >= expiresAt && closedAt <= expiresAt + 3, "closed at " + closedAt + " for exp "
                    + expiresAt);

            renewing.send("{\"type\":\"ping\",\"payload\":{}}");
            assertEquals("pong", renewing.next(LONG).path("type").asText(), "the renewed socket stays open");
        }
    }

    @Test
    void anotherUsersIdsAnswerExactlyLikeMissingOnes() throws Exception {
        String aliceToken = Keycloak.token("alice", "alice-password");
        String bobToken = Keycloak.token("bob", "bob-password");
        String threadId;
        String runId;
        try (WsClient alice = WsClient.connect(WsClient.CHAT, Map.of("Authorization", "Bearer " + aliceToken))) {
            alice.until(f -> WsClient.isSystem(f, "ready"), LONG);
            LLM.enqueue(Script.reply("alice's ", "private ", "answer"));
            alice.send(WsClient.userMessage("alice's secret question", null, null));
            List<JsonNode> run = alice.runEvents(LONG);
            assertEquals("agent_completed", Runs.last(run).path("type").asText(), run.toString());
            threadId = run.get(0).path("thread_id").asText();
            runId = run.get(0).path("run_id").asText();
        }
        String missing = "00000000-0000-0000-0000-000000000000";
        for (String id : List.of(threadId, missing)) {
            URI thread = URI.create(THREADS + "/" + id);
            assertEquals(404, Http.send("GET", URI.create(thread + "/messages"), null, bobToken).statusCode());
            assertEquals(404, Http.send("PATCH", thread, "{\"title\":\"mine now\"}", bobToken).statusCode());
            assertEquals(404, Http.send("DELETE", thread, null, bobToken).statusCode());
        }
        assertFalse(Http.send("GET", THREADS, null, bobToken).body().contains(threadId), "bob lists alice's thread");
        assertEquals(200, Http.send("GET", URI.create(THREADS + "/" + threadId + "/messages"), null, aliceToken)
                .statusCode(), "alice still has her thread");

        try (WsClient bob = WsClient.connect(WsClient.CHAT, Map.of("Authorization", "Bearer " + bobToken))) {
            bob.until(f -> WsClient.isSystem(f, "ready"), LONG);
            for (String thread : List.of(threadId, missing)) {
                bob.send(WsClient.userMessage("let me in", thread, null));
                assertTrue(WsClient.isError(bob.next(LONG), "THREAD_NOT_FOUND"));
            }
            for (String run : List.of(runId, missing)) {
                bob.send("{\"type\":\"resume\",\"payload\":{\"run_id\":\"" + run + "\",\"after_seq\":0}}");
                assertTrue(WsClient.isError(bob.next(LONG), "RUN_NOT_FOUND"));
                bob.send("{\"type\":\"stop_run\",\"payload\":{\"run_id\":\"" + run + "\"}}");
                assertTrue(WsClient.isError(bob.next(LONG), "RUN_NOT_FOUND"));
            }
            LLM.enqueue(Script.empty().toolCall("call-1", "search_conversations", "{\"query\":\"secret\"}"),
                    Script.reply("nothing found"));
            bob.send(WsClient.userMessage("search my conversations for 'secret'", null, null));
            List<JsonNode> run = bob.runEvents(LONG);
            JsonNode searched = Runs.first(run, "tool_completed");
            assertFalse(searched.path("payload").path("result").toString().contains("alice"),
                    "the tool gave bob alice's messages: " + searched);
        }
    }

    private static void assertRefused(WsClient client, String code) {
        try (client) {
            JsonNode first = client.next(LONG);
            assertTrue(WsClient.isError(first, code), "the first frame must be the refusal: " + first);
            assertFalse(first.path("payload").path("message").asText().contains("Exception"), first.toString());
            assertEquals(1008, client.awaitClose(LONG));
        }
    }

    private static String reauthenticate(String token) {
        return JSON.createObjectNode().put("type", "reauthenticate").set("payload",
                JSON.createObjectNode().put("token", token)).toString();
    }

    /** A token with every right claim and Keycloak's first key id, signed by a key of ours. */
    private static String forged() throws Exception {
        RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
        String kid = Keycloak.claims(Keycloak.token("alice", "alice-password")).path("sub").asText(); // any kid
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims().toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(kid);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        return jws.getCompactSerialization();
    }

    /** The same claims with {@code alg: none}. */
    private static String unsigned() throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims().toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.NONE);
        jws.setAlgorithmConstraints(org.jose4j.jwa.AlgorithmConstraints.NO_CONSTRAINTS);
        return jws.getCompactSerialization();
    }

    private static JwtClaims claims() {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(Keycloak.issuer());
        claims.setAudience(Keycloak.AUDIENCE);
        claims.setSubject("attacker");
        claims.setStringListClaim("groups", Keycloak.USER_ROLE);
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(5);
        return claims;
    }
}
