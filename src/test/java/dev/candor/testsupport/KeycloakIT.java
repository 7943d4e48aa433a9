package dev.candor.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Keycloak the build starts issues the tokens Candor expects; no Candor deployment involved. */
class KeycloakIT {

    @Test
    void discoveryNamesTheRealmAsIssuer() {
        JsonNode discovery = Keycloak.discovery();

        assertEquals(Keycloak.issuer(), discovery.path("issuer").asText());
        assertEquals(Keycloak.jwksUrl(), discovery.path("jwks_uri").asText());
    }

    @Test
    void aliceGetsATokenForCandorWithTheUserRoleAsGroup() {
        JsonNode claims = Keycloak.claims(Keycloak.token("alice", "alice-password"));

        assertEquals(Keycloak.issuer(), claims.path("iss").asText());
        assertTrue(strings(claims.path("aud")).contains(Keycloak.AUDIENCE), "aud: " + claims.path("aud"));
        assertEquals("alice", claims.path("preferred_username").asText());
        assertTrue(strings(claims.path("groups")).contains(Keycloak.USER_ROLE), "groups: " + claims.path("groups"));
        assertEquals(300, claims.path("exp").asLong() - claims.path("iat").asLong());
    }

    @Test
    void carolsTokenLacksTheUserRole() {
        JsonNode claims = Keycloak.claims(Keycloak.token("carol", "carol-password"));

        assertEquals("carol", claims.path("preferred_username").asText());
        assertTrue(strings(claims.path("aud")).contains(Keycloak.AUDIENCE), "aud: " + claims.path("aud"));
        assertFalse(strings(claims.path("groups")).contains(Keycloak.USER_ROLE), "groups: " + claims.path("groups"));
    }

    @Test
    void aWrongPasswordGetsNoToken() {
        // Keycloak answers the password grant's bad credentials with 400 invalid_grant (RFC 6749 5.2), not 401
        Keycloak.TokenResponse response = Keycloak.tokenResponse("alice", "not-alice-password");

        assertEquals(400, response.status());
        assertEquals("invalid_grant", response.error());
        assertFalse(response.body().has("access_token"));
    }

    /** A claim that is a string or an array of strings, as a list (aud is either). */
    private static List<String> strings(JsonNode claim) {
        List<String> values = new ArrayList<>();
        if (claim.isArray()) {
            claim.forEach(value -> values.add(value.asText()));
        } else if (claim.isTextual()) {
            values.add(claim.asText());
        }
        return values;
    }
}
