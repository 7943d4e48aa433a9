package dev.candor.infrastructure.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Reads secrets from the environment or MicroProfile Config, and the identity provider's signing keys. Secrets are
 * handed out as {@link Secret}s, never logged, and the variables that are missing are named. The keys (a JWKS) are
 * fetched and checked by phase DEPENDENCIES, bounded by candor.auth.jwks-timeout-ms, and fetched again when a token
 * names a key they lack, at most every candor.auth.jwks-min-refresh-ms (keys rotate).
 */
@ApplicationScoped
public class KeyManager {

    private static final Logger LOG = Logger.getLogger(KeyManager.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Environment variable of the LLM provider's API key (MicroProfile Config key candor.llm.api-key). */
    public static final String LLM_API_KEY_ENV = "CANDOR_LLM_API_KEY";

    /** A fetched key set: its JSON and when it was fetched. */
    public record Jwks(String json, int keys, long fetchedAtNanos) {
    }

    @Inject
    CandorConfig config;

    private volatile Jwks jwks;
    private volatile URI jwksUri;
    private HttpClient http; // guarded by this
    private long lastRefreshAttemptNanos; // guarded by this

    public Optional<Secret> llmApiKey() {
        return config.text(Setting.LLM_API_KEY).map(Secret::new);
    }

    /** The keys fetched last; empty before phase DEPENDENCIES has loaded them (or in {@code none} mode). */
    public Optional<Jwks> jwks() {
        return Optional.ofNullable(jwks);
    }

    /**
     * Checks the authentication settings and, in {@code oidc} mode, fetches the keys: run by phase DEPENDENCIES (and
     * again when it re-runs). Throws with a message that names the setting to fix or what did not answer.
     */
    public synchronized void loadAuthentication() throws IOException {
        AuthConfig auth = config.auth();
        if (!auth.oidc()) {
            if (config.environment().isProduction()) {
                throw new IllegalStateException("CANDOR_AUTH_MODE=none is refused in production: set CANDOR_AUTH_MODE="
                        + "oidc with CANDOR_AUTH_ISSUER and CANDOR_AUTH_AUDIENCE");
            }
            LOG.warning("CANDOR_AUTH_MODE=none: no sign-in, every caller is the one local user. Development only");
            return;
        }
        String issuer = auth.issuer().orElseThrow(() -> new IllegalStateException(
                "CANDOR_AUTH_MODE=oidc needs CANDOR_AUTH_ISSUER (the identity provider's issuer URL)"));
        auth.audience().orElseThrow(() -> new IllegalStateException(
                "CANDOR_AUTH_MODE=oidc needs CANDOR_AUTH_AUDIENCE (a value every token's aud must contain)"));
        HttpClient http = http(auth);
        lastRefreshAttemptNanos = System.nanoTime();
        URI uri = auth.jwksUrl().map(URI::create).orElse(null);
        if (uri == null) {
            JsonNode discovery = get(http, URI.create(issuer.replaceAll("/+$", "")
                    + "/.well-known/openid-configuration"), auth.jwksTimeout(), "the discovery document");
            if (!issuer.equals(discovery.path("issuer").asText())) {
                throw new IllegalStateException("the discovery document of " + issuer + " names the issuer '"
                        + discovery.path("issuer").asText() + "'; CANDOR_AUTH_ISSUER must be exactly that");
            }
            String jwksText = discovery.path("jwks_uri").asText("");
            if (jwksText.isEmpty()) {
                throw new IllegalStateException("the discovery document of " + issuer + " has no jwks_uri; set "
                        + "CANDOR_AUTH_JWKS_URL");
            }
            uri = URI.create(jwksText);
        }
        jwksUri = uri;
        fetchKeys(http, auth);
    }

    /**
     * A token named a key the set lacks: fetches the keys again unless that was done less than
     * candor.auth.jwks-min-refresh-ms ago. True when a new set was fetched.
     */
    public synchronized boolean refreshKeys() {
        AuthConfig auth = config.auth();
        long now = System.nanoTime();
        // Throttled on the last attempt, successful or not: tokens naming unknown keys (anyone can send those) never
        // make Candor fetch more often than this, even while the provider is down.
        if (jwksUri == null || lastRefreshAttemptNanos != 0
                && now - lastRefreshAttemptNanos < auth.jwksMinRefresh().toNanos()) {
            return false;
        }
        lastRefreshAttemptNanos = now;
        try {
            fetchKeys(http(auth), auth);
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.warning("could not refresh the identity provider's keys from " + jwksUri + ": " + e.getMessage());
            return false;
        }
    }

    /** One client for every fetch (guarded by this). */
    private HttpClient http(AuthConfig auth) {
        if (http == null) {
            http = HttpClient.newBuilder().connectTimeout(auth.jwksTimeout())
                    .followRedirects(HttpClient.Redirect.NORMAL).build();
        }
        return http;
    }

    private void fetchKeys(HttpClient http, AuthConfig auth) throws IOException {
        JsonNode set = get(http, jwksUri, auth.jwksTimeout(), "the signing keys");
        int usable = 0;
        for (JsonNode key : set.path("keys")) {
            String use = key.path("use").asText("sig");
            if ("sig".equals(use) && key.hasNonNull("kty")) {
                usable++;
            }
        }
        if (usable == 0) {
            throw new IllegalStateException("the key set at " + jwksUri + " has no signing keys");
        }
        jwks = new Jwks(set.toString(), usable, System.nanoTime());
        int count = usable;
        LOG.info(() -> "identity provider keys loaded: " + count + " signing keys from " + jwksUri);
    }

    private static JsonNode get(HttpClient http, URI uri, Duration timeout, String what) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json")
                .GET().build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching " + what + " from " + uri, e);
        } catch (IOException e) {
            throw new IOException("the identity provider did not answer for " + what + " at " + uri + " within "
                    + timeout.toMillis() + " ms: " + e, e);
        }
        if (response.statusCode() != 200) {
            throw new IOException("the identity provider answered HTTP " + response.statusCode() + " for " + what
                    + " at " + uri);
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IOException(what + " at " + uri + " is not JSON", e);
        }
    }
}
