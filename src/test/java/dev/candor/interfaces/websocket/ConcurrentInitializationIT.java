package dev.candor.interfaces.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.testsupport.Deployments;
import dev.candor.testsupport.Http;
import dev.candor.testsupport.WsClient;
import dev.candor.testsupport.llm.LlmProviderStub;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** 200 clients connect while a slow DEPENDENCIES phase runs: all get ready, and every phase ran exactly once. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ConcurrentInitializationIT {

    private static final int CLIENTS = 200;

    @Deployment(testable = false)
    static WebArchive deployment() {
        LlmProviderStub slow = LlmProviderStub.start();
        slow.modelsDelayMs(4000);
        Map<String, String> config = new HashMap<>(Deployments.withStub(slow));
        config.put("candor.init.timeouts-ms", "60000"); // DEPENDENCIES and VALIDATION each list models: 2 x 4 s
        return Deployments.candor(config);
    }

    @Test
    void twoHundredClientsDuringInitializationAllGetReady() {
        assertTrue(Http.health("started").body().contains("\"DEPENDENCIES\":\"RUNNING"),
                "the test must connect while DEPENDENCIES still runs");
        int threadsBefore = liveThreads();
        HttpClient http = HttpClient.newHttpClient();
        List<CompletableFuture<WsClient>> connecting = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            connecting.add(WsClient.connectAsync(http));
        }
        List<WsClient> clients = connecting.stream().map(CompletableFuture::join).toList();
        try {
            clients.forEach(c -> assertTrue(WsClient.isSystem(c.next(Duration.ofSeconds(10)), "initializing")));
            int threadsWhileWaiting = liveThreads();
            assertTrue(threadsWhileWaiting - threadsBefore < CLIENTS / 2, CLIENTS + " waiting clients took server threads: "
                    + threadsBefore + " before, " + threadsWhileWaiting + " while they wait");
            for (WsClient client : clients) {
                var frames = client.until(f -> WsClient.isSystem(f, "ready"), Duration.ofSeconds(30));
                assertEquals(7, frames.get(frames.size() - 2).path("payload").path("phases_done").asInt(),
                        "the last frame before ready is FINALIZE's progress: " + frames);
            }
        } finally {
            clients.forEach(WsClient::close);
        }
        String started = Http.health("started").body();
        assertTrue(started.contains("\"candor-startup\",\"status\":\"UP\""), started);
        for (String phase : List.of("DEPENDENCIES", "DATABASE", "CACHE", "SERVICES", "WEBSOCKET", "VALIDATION",
                "FINALIZE")) {
            assertTrue(started.contains("\"" + phase + "\":\"READY runs=1 "), phase + " did not run exactly once: "
                    + started);
        }
    }

    private static int liveThreads() {
        Matcher m = Pattern.compile("\"live_threads\":(\\d+)").matcher(Http.health("live").body());
        assertTrue(m.find(), "liveness reports no live_threads");
        return Integer.parseInt(m.group(1));
    }
}
