package dev.candor.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.candor.testsupport.WsClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;

/**
 * One race: a frame sent on two connections (one per node) at the same moment, and what each connection got, up to
 * its outcome: the terminal event of the run it started, an {@code error}, or {@code duplicate_message}.
 *
 * @param onA the frames of the first connection
 * @param onB the frames of the second connection
 */
record Race(List<JsonNode> onA, List<JsonNode> onB) {

    /** How a race ended. */
    enum Outcome { ONE_RUN_THREAD_BUSY, ONE_RUN_DUPLICATE, TWO_RUNS_ONE_AFTER_THE_OTHER, TWO_RUNS_AT_ONCE, OTHER }

    private static final Set<String> TERMINAL = Set.of("agent_completed", "agent_error", "run_cancelled");

    static Race run(WsClient a, WsClient b, String frameA, String frameB, Duration timeout) {
        CyclicBarrier start = new CyclicBarrier(2);
        CompletableFuture<List<JsonNode>> first = CompletableFuture.supplyAsync(() -> sendAndAwait(a, frameA, start,
                timeout));
        CompletableFuture<List<JsonNode>> second = CompletableFuture.supplyAsync(() -> sendAndAwait(b, frameB, start,
                timeout));
        return new Race(first.join(), second.join());
    }

    private static List<JsonNode> sendAndAwait(WsClient client, String frame, CyclicBarrier start, Duration timeout) {
        try {
            start.await();
        } catch (Exception e) {
            throw new IllegalStateException("the race did not start", e);
        }
        client.send(frame);
        return client.until(f -> {
            String type = f.path("type").asText();
            return TERMINAL.contains(type) || "error".equals(type) || "duplicate_message".equals(type);
        }, timeout);
    }

    int runs() {
        return (started(onA) ? 1 : 0) + (started(onB) ? 1 : 0);
    }

    Outcome outcome() {
        int runs = runs();
        if (runs == 1 && (isError(onA, "THREAD_BUSY") || isError(onB, "THREAD_BUSY"))) {
            return Outcome.ONE_RUN_THREAD_BUSY;
        }
        if (runs == 1 && (ends(onA, "duplicate_message") || ends(onB, "duplicate_message"))) {
            return Outcome.ONE_RUN_DUPLICATE;
        }
        if (runs == 2) {
            boolean aFirst = startedAt(onA).isBefore(startedAt(onB));
            List<JsonNode> earlier = aFirst ? onA : onB;
            List<JsonNode> later = aFirst ? onB : onA;
            return startedAt(later).isBefore(endedAt(earlier)) ? Outcome.TWO_RUNS_AT_ONCE
                    : Outcome.TWO_RUNS_ONE_AFTER_THE_OTHER;
        }
        return Outcome.OTHER;
    }

    private static boolean started(List<JsonNode> frames) {
        return frames.stream().anyMatch(f -> "agent_started".equals(f.path("type").asText()));
    }

    private static Instant startedAt(List<JsonNode> frames) {
        return frames.stream().filter(f -> "agent_started".equals(f.path("type").asText())).findFirst()
                .map(f -> Instant.parse(f.path("timestamp").asText())).orElseThrow();
    }

    private static Instant endedAt(List<JsonNode> frames) {
        return Instant.parse(frames.get(frames.size() - 1).path("timestamp").asText());
    }

    private static boolean ends(List<JsonNode> frames, String type) {
        return type.equals(frames.get(frames.size() - 1).path("type").asText());
    }

    private static boolean isError(List<JsonNode> frames, String code) {
        return WsClient.isError(frames.get(frames.size() - 1), code);
    }

    @Override
    public String toString() {
        return outcome() + " A=" + onA + " B=" + onB;
    }
}
