package dev.candor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.candor.testsupport.llm.LlmProviderStub;
import dev.candor.testsupport.llm.Script;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Time to first token and relay cost that Candor adds to a streamed answer, against the same local provider called
 * directly: 1, 50 and 200 concurrent conversations, 200 tokens each at a fixed rate. Prints a table; never fails.
 * Usage: AgentLatencyBenchmark [--levels=1,50,200] [--tokens=200] [--token-ms=10]
 */
public final class AgentLatencyBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LlmProviderStub provider;
    private final int tokens;
    private final long tokenMs;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private AgentLatencyBenchmark(LlmProviderStub provider, int tokens, long tokenMs) {
        this.provider = provider;
        this.tokens = tokens;
        this.tokenMs = tokenMs;
        provider.defaultScript(Script.empty().tokens(tokens).everyMs(tokenMs));
    }

    /** What one streamed conversation saw: time to first token (µs), pieces received, and whether any was lost. */
    record Sample(long ttftMicros, int pieces, int lost, int reordered, long endMicros) {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> levels = List.of(1, 50, 200);
        int tokens = 200;
        long tokenMs = 10;
        List<String> rest = new ArrayList<>();
        for (String arg : args) {
            if (arg.startsWith("--levels=")) {
                levels = Arrays.stream(arg.substring(9).split(",")).map(Integer::parseInt).toList();
            } else if (arg.startsWith("--tokens=")) {
                tokens = Integer.parseInt(arg.substring(9));
            } else if (arg.startsWith("--token-ms=")) {
                tokenMs = Long.parseLong(arg.substring(11));
            } else {
                rest.add(arg);
            }
        }
        BenchOptions options = BenchOptions.parse(rest.toArray(String[]::new));
        LlmProviderStub provider = LlmProviderStub.start();
        AgentLatencyBenchmark bench = new AgentLatencyBenchmark(provider, tokens, tokenMs);
        ScenarioSetup setup = new ScenarioSetup(options, provider);
        System.out.printf("# Candor agent latency benchmark: %d tokens per answer, one every %d ms; levels %s%n",
                tokens, tokenMs, levels);
        System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores; the client, the provider"
                + " stand-in and the server share them");
        try (BenchServer server = setup.startServer("agent-latency", setup.llmEnvironment())) {
            server.awaitDeployed(ScenarioSetup.WAR_NAME, Duration.ofMinutes(3));
            bench.awaitReady();
            Progress.say("warm-up: 20 conversations through Candor and 20 direct");
            bench.direct(20);
            bench.throughCandor(20);
            List<String> rows = new ArrayList<>();
            for (int n : levels) {
                List<Sample> direct = bench.direct(n);
                List<Sample> candor = bench.throughCandor(n);
                rows.add(bench.row(n, direct, candor));
            }
            System.out.println();
            System.out.println(bench.breakdown(20));
            System.out.println();
            System.out.println("| conversations | TTFT direct p50 / p99 | TTFT via Candor p50 / p99 | added TTFT p50 / p99 "
                    + "(target < 2 / < 10 ms at 200) | tokens/s relayed | tokens lost / reordered |");
            System.out.println("| ---: | --- | --- | --- | ---: | --- |");
            rows.forEach(System.out::println);
        }
    }

    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            try (Conversation c = Conversation.open(http)) {
                if (c.ready.get(30, TimeUnit.SECONDS)) {
                    return;
                }
            } catch (Exception notYet) {
                Progress.pause(Duration.ofMillis(500));
            }
        }
        throw new IllegalStateException("Candor never became ready");
    }

    /** {@code n} concurrent streaming requests straight to the provider. */
    private List<Sample> direct(int n) throws Exception {
        String body = JSON.createObjectNode().put("model", "stub-model").put("stream", true)
                .set("messages", JSON.createArrayNode().add(JSON.createObjectNode().put("role", "user")
                        .put("content", "count"))).toString();
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<CompletableFuture<Sample>> runs = new ArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            for (int i = 0; i < n; i++) {
                runs.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                        return directOnce(body);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, pool));
            }
            go.countDown();
            return runs.stream().map(CompletableFuture::join).toList();
        } finally {
            pool.shutdownNow();
        }
    }

    private Sample directOnce(String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(provider.openAiBaseUrl() + "/chat/completions"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer k")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long start = System.nanoTime();
        HttpResponse<java.io.InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        Relay relay = new Relay(start, tokens);
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("data: {")) {
                    JsonNode content = JSON.readTree(line.substring(6)).path("choices").path(0).path("delta")
                            .path("content");
                    if (content.isTextual() && !content.asText().isEmpty()) {
                        relay.piece(content.asText());
                    }
                }
            }
        }
        return relay.sample();
    }

    /** {@code n} concurrent conversations over Candor's WebSocket, each a new thread. */
    private List<Sample> throughCandor(int n) throws Exception {
        List<Conversation> conversations = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            conversations.add(Conversation.open(http));
        }
        try {
            for (Conversation c : conversations) {
                c.ready.get(60, TimeUnit.SECONDS);
            }
            for (Conversation c : conversations) {
                c.ask(tokens);
            }
            List<Sample> samples = new ArrayList<>();
            for (Conversation c : conversations) {
                samples.add(c.done.get(5, TimeUnit.MINUTES));
            }
            return samples;
        } finally {
            conversations.forEach(Conversation::close);
        }
    }

    /**
     * Where a single conversation's added time goes: from the user_message to the provider receiving the request
     * (Candor's work before the call), and the rest (relaying the first token back). Sequential conversations.
     */
    private String breakdown(int conversations) throws Exception {
        long[] before = new long[conversations];
        long[] total = new long[conversations];
        for (int i = 0; i < conversations; i++) {
            provider.clearRecorded();
            try (Conversation c = Conversation.open(http)) {
                c.ready.get(30, TimeUnit.SECONDS);
                java.time.Instant sent = java.time.Instant.now();
                c.ask(tokens);
                Sample sample = c.done.get(5, TimeUnit.MINUTES);
                java.time.Instant received = provider.chatRequests().get(0).receivedAt();
                before[i] = java.time.Duration.between(sent, received).toNanos() / 1000;
                total[i] = sample.ttftMicros();
            }
        }
        Arrays.sort(before);
        Arrays.sort(total);
        return String.format("single conversation, %d in a row: user_message to the provider receiving the request "
                + "p50 %s ms; user_message to the first agent_delta p50 %s ms", conversations, ms(rank(before, 50)),
                ms(rank(total, 50)));
    }

    private String row(int n, List<Sample> direct, List<Sample> candor) {
        long[] d = direct.stream().mapToLong(Sample::ttftMicros).sorted().toArray();
        long[] c = candor.stream().mapToLong(Sample::ttftMicros).sorted().toArray();
        long relayed = candor.stream().mapToLong(Sample::pieces).sum();
        long spanMicros = candor.stream().mapToLong(Sample::endMicros).max().orElse(1);
        int lost = candor.stream().mapToInt(Sample::lost).sum();
        int reordered = candor.stream().mapToInt(Sample::reordered).sum();
        return String.format("| %d | %s / %s ms | %s / %s ms | %s / %s ms | %.0f | %d / %d |", n, ms(rank(d, 50)),
                ms(rank(d, 99)), ms(rank(c, 50)), ms(rank(c, 99)), ms(rank(c, 50) - rank(d, 50)),
                ms(rank(c, 99) - rank(d, 99)), relayed / (spanMicros / 1e6), lost, reordered);
    }

    private static long rank(long[] sorted, int percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(index, sorted.length - 1))];
    }

    private static String ms(long micros) {
        return String.format("%.2f", micros / 1000.0);
    }

    /** Counts pieces of one answer as they arrive: expected "t0 ", "t1 ", ... in order. */
    private static final class Relay {
        private final long start;
        private final int expected;
        private long ttft = -1;
        private int pieces;
        private int reordered;
        private int next;

        Relay(long start, int expected) {
            this.start = start;
            this.expected = expected;
        }

        void piece(String text) {
            if (ttft < 0) {
                ttft = (System.nanoTime() - start) / 1000;
            }
            pieces++;
            if (!text.equals("t" + next + " ")) {
                reordered++;
            }
            next++;
        }

        Sample sample() {
            return new Sample(ttft, pieces, Math.max(0, expected - pieces), reordered, (System.nanoTime() - start) / 1000);
        }
    }

    /** One WebSocket conversation with Candor. */
    private static final class Conversation implements WebSocket.Listener, AutoCloseable {
        final CompletableFuture<Boolean> ready = new CompletableFuture<>();
        final CompletableFuture<Sample> done = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        private WebSocket socket;
        private Relay relay;

        static Conversation open(HttpClient http) {
            Conversation c = new Conversation();
            c.socket = http.newWebSocketBuilder().buildAsync(ScenarioSetup.CHAT, c).join();
            return c;
        }

        void ask(int tokens) {
            relay = new Relay(System.nanoTime(), tokens);
            socket.sendText("{\"type\":\"user_message\",\"payload\":{\"content\":\"count\"}}", true);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                handle(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        private void handle(String text) {
            try {
                JsonNode frame = JSON.readTree(text);
                String type = frame.path("type").asText();
                if ("system_message".equals(type) && "ready".equals(frame.path("payload").path("event").asText())) {
                    ready.complete(true);
                } else if ("agent_delta".equals(type)) {
                    relay.piece(frame.path("payload").path("text").asText());
                } else if (Map.of("agent_completed", 1, "agent_error", 1, "run_cancelled", 1).containsKey(type)
                        || "error".equals(type)) {
                    if (!"agent_completed".equals(type)) {
                        System.out.println("unexpected end of a run: " + text);
                    }
                    done.complete(relay.sample());
                }
            } catch (Exception e) {
                done.completeExceptionally(e);
            }
        }

        @Override
        public void close() {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").exceptionally(e -> null);
        }
    }
}
