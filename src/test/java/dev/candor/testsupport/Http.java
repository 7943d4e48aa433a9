package dev.candor.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

/** Small HTTP helpers for tests: the application on port 8080, health and metrics on the management port 9990. */
public final class Http {

    public static final URI APP = URI.create("http://127.0.0.1:8080/");
    public static final URI HEALTH = URI.create("http://127.0.0.1:9990/health/");
    /** The micrometer subsystem's Prometheus scrape. */
    public static final URI PROMETHEUS = URI.create("http://127.0.0.1:9990/prometheus");

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Http() {
    }

    public static HttpResponse<String> get(URI uri) {
        try {
            return CLIENT.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + uri + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Any method with an optional JSON body. */
    public static HttpResponse<String> send(String method, URI uri, String json) {
        return send(method, uri, json, null);
    }

    /** Any method with an optional JSON body and an optional bearer token. */
    public static HttpResponse<String> send(String method, URI uri, String json, String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + uri + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public static HttpResponse<String> health(String which) {
        return get(HEALTH.resolve(which));
    }

    /** Polls {@code which} until its body satisfies {@code condition}; returns the last body either way. */
    public static String awaitHealth(String which, Predicate<String> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String body = health(which).body();
        while (!condition.test(body) && System.nanoTime() < deadline) {
            Eventually.pause(100);
            body = health(which).body();
        }
        return body;
    }
}
