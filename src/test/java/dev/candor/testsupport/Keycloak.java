package dev.candor.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The real Keycloak the build starts for the integration tests (src/test/scripts/it-keycloak.sh), at
 * {@code candor.test.keycloak.url}, realm {@code candor.test.keycloak.realm} (docker/keycloak/candor-realm.json).
 * Tokens come from the password grant on the public client {@value #TEST_CLIENT}, which has the same audience
 * ({@code candor}) and {@code groups} claim as the page's client {@code candor-web}. Users: alice and bob
 * ({@code candor-user}), carol (without it); the password is the user name plus {@code -password}.
 */
public final class Keycloak {

    public static final String TEST_CLIENT = "candor-test";
    /** A public test client whose access tokens live 8 s. */
    public static final String SHORT_LIVED_CLIENT = "candor-test-short";
    public static final String AUDIENCE = "candor";
    public static final String USER_ROLE = "candor-user";

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A token endpoint's answer: the HTTP status and the JSON body (an access token, or an OAuth error). */
    public record TokenResponse(int status, JsonNode body) {

        public String accessToken() {
            if (status != 200) {
                throw new IllegalStateException("no token: HTTP " + status + " " + body);
            }
            return body.path("access_token").asText();
        }

        public String error() {
            return body.path("error").asText(null);
        }
    }

    private Keycloak() {
    }

    /** Keycloak's base URL, e.g. {@code http://127.0.0.1:41234}; the build passes it to the integration tests. */
    public static String url() {
        String url = System.getProperty("candor.test.keycloak.url");
        if (url == null || url.isBlank() || url.contains("${")) {
            throw new IllegalStateException("candor.test.keycloak.url is not set: run the tests with mvn verify");
        }
        return url;
    }

    public static String realm() {
        return System.getProperty("candor.test.keycloak.realm", "candor");
    }

    /** Candor's settings for signing in against this Keycloak: oidc, its issuer, audience and the user role. */
    public static Map<String, String> candorSettings() {
        return Map.of("candor.auth.mode", "oidc", "candor.auth.issuer", issuer(), "candor.auth.audience", AUDIENCE,
                "candor.auth.role", USER_ROLE);
    }

    /** The tokens' {@code iss}. */
    public static String issuer() {
        return url() + "/realms/" + realm();
    }

    public static String jwksUrl() {
        return issuer() + "/protocol/openid-connect/certs";
    }

    public static String tokenUrl() {
        return issuer() + "/protocol/openid-connect/token";
    }

    public static String discoveryUrl() {
        return issuer() + "/.well-known/openid-configuration";
    }

    /** An access token for {@code user}; fails when Keycloak refuses. */
    public static String token(String user, String password) {
        return tokenResponse(user, password).accessToken();
    }

    /** An access token for {@code user} that lives only 8 s (client {@value #SHORT_LIVED_CLIENT}). */
    public static String shortLivedToken(String user, String password) {
        return tokenResponse(SHORT_LIVED_CLIENT, user, password).accessToken();
    }

    /** The password grant for {@code user} on {@value #TEST_CLIENT}, whatever Keycloak answers. */
    public static TokenResponse tokenResponse(String user, String password) {
        return tokenResponse(TEST_CLIENT, user, password);
    }

    private static TokenResponse tokenResponse(String client, String user, String password) {
        HttpResponse<String> response = postForm(tokenUrl(), Map.of("grant_type", "password", "client_id", client,
                "username", user, "password", password, "scope", "openid"));
        return new TokenResponse(response.statusCode(), parse(response.body()));
    }

    /**
     * Sets (or, with null, removes) an attribute of one of the realm's clients, e.g. {@code access.token.lifespan},
     * through the admin API as the throwaway instance's bootstrap admin (src/test/scripts/it-keycloak.sh).
     */
    public static void clientAttribute(String clientId, String name, String value) {
        HttpResponse<String> login = postForm(url() + "/realms/master/protocol/openid-connect/token", Map.of(
                "grant_type", "password", "client_id", "admin-cli", "username", "admin", "password", "admin"));
        String admin = "Bearer " + new TokenResponse(login.statusCode(), parse(login.body())).accessToken();
        String clients = url() + "/admin/realms/" + realm() + "/clients";
        HttpResponse<String> found = send(HttpRequest.newBuilder(URI.create(clients + "?clientId="
                + URLEncoder.encode(clientId, StandardCharsets.UTF_8))).header("Authorization", admin).GET());
        JsonNode client = parse(found.body()).path(0);
        if (!(client instanceof ObjectNode representation)) {
            throw new IllegalStateException("no client " + clientId + ": HTTP " + found.statusCode());
        }
        ObjectNode attributes = representation.withObject("/attributes");
        if (value == null) {
            attributes.remove(name);
        } else {
            attributes.put(name, value);
        }
        HttpResponse<String> updated = send(HttpRequest.newBuilder(URI.create(clients + "/"
                        + representation.path("id").asText())).header("Authorization", admin)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(representation.toString())));
        if (updated.statusCode() != 204) {
            throw new IllegalStateException("updating client " + clientId + ": HTTP " + updated.statusCode() + " "
                    + updated.body());
        }
    }

    private static HttpResponse<String> postForm(String url, Map<String, String> fields) {
        String form = fields.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    /** The realm's discovery document. */
    public static JsonNode discovery() {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(discoveryUrl())).GET());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + discoveryUrl() + ": HTTP " + response.statusCode());
        }
        return parse(response.body());
    }

    /** Whether the URL is set and the realm answers. */
    public static boolean isAvailable() {
        try {
            discovery();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** A JWT's payload (claims), decoded without checking the signature. */
    public static JsonNode claims(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            throw new IllegalArgumentException("not a JWS compact serialization: " + parts.length + " parts");
        }
        return parse(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return CLIENT.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(request.build().uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + json, e);
        }
    }
}
