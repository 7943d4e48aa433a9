package dev.candor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/** Reads Candor's health checks on the benchmark server's management port. */
final class HealthClient {

    /** One {@code /health/live} reading. */
    record Live(long liveThreads, long peakThreads, long heapUsedMb) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STARTUP_CHECK = "candor-startup";
    private static final String LIVE_CHECK = "candor-live";

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .executor(Executors.newSingleThreadExecutor(daemon())).build();

    HealthClient(int managementPort) {
        this.base = URI.create("http://127.0.0.1:" + managementPort + "/health/");
    }

    /** The data of the {@code candor-startup} check (phase name to "STATE runs=N ms=M"), once the WAR reports it. */
    Optional<Map<String, String>> startup() {
        return check("started", STARTUP_CHECK).map(check -> {
            Map<String, String> data = new LinkedHashMap<>();
            check.path("data").properties().forEach(e -> data.put(e.getKey(), e.getValue().asText()));
            data.put("status", check.path("status").asText());
            return data;
        });
    }

    Optional<Live> live() {
        return check("live", LIVE_CHECK).map(check -> check.path("data")).map(data -> new Live(
                data.path("live_threads").asLong(), data.path("peak_threads").asLong(),
                data.path("heap_used_mb").asLong()));
    }

    private Optional<JsonNode> check(String endpoint, String name) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve(endpoint))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            for (JsonNode check : JSON.readTree(response.body()).path("checks")) {
                if (name.equals(check.path("name").asText())) {
                    return Optional.of(check);
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // not up yet, or busy: the caller polls again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static ThreadFactory daemon() {
        return r -> {
            Thread thread = new Thread(r, "bench-health");
            thread.setDaemon(true);
            return thread;
        };
    }
}
