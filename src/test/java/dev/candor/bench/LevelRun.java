package dev.candor.bench;

import dev.candor.bench.TokenRelay.Sample;
import dev.candor.testsupport.llm.LlmProviderStub;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * One load level: a warm-up round (discarded), then rounds of N concurrent streams straight to the stand-in followed
 * by N concurrent conversations through Candor, so that both paths see the same state of the machine. Server CPU is
 * read just before the first {@code user_message} of a round and just after its last answer ended.
 */
final class LevelRun {

    private final HttpClient http;
    private final LlmProviderStub provider;
    private final BenchServer server;
    private final BenchDatabase database;
    private final int tokens;
    private final Duration answerWait;

    LevelRun(HttpClient http, LlmProviderStub provider, BenchServer server, BenchDatabase database, int tokens,
            long tokenMs) {
        this.http = http;
        this.provider = provider;
        this.server = server;
        this.database = database;
        this.tokens = tokens;
        this.answerWait = Duration.ofMillis(tokens * tokenMs).plusMinutes(2);
    }

    /**
     * One round through Candor: its samples, the CPU its streaming window cost the server JVM and the processes beside
     * it, and (one conversation only, else -1) the time from {@code user_message} to the stand-in receiving the request.
     */
    private record CandorRound(List<Sample> samples, long windowNanos, long serverNanos, long otherNanos,
            long beforeCallMicros) {
    }

    /** One discarded round of {@code n} on each path (class loading, JIT, connection pools). */
    void warmUp(int n) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            Progress.say("warm-up: " + n + " conversations through Candor and " + n + " direct");
            direct(pool, n);
            throughCandor(n);
        } finally {
            pool.shutdownNow();
        }
    }

    /** The server JVM's CPU while nothing is asked, in ms per second: the floor under every per-token figure. */
    double idleCpuMillisPerSecond(Duration window) {
        long cpu0 = CpuUse.processNanos(server.pid());
        long start = System.nanoTime();
        Progress.pause(window);
        return (CpuUse.processNanos(server.pid()) - cpu0) / 1e6 / ((System.nanoTime() - start) / 1e9);
    }

    LevelResult run(int n, int rounds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            Progress.say(n + " conversations: warm-up round, then " + rounds + " measured");
            direct(pool, n);
            throughCandor(n);
            List<Sample> direct = new ArrayList<>();
            List<Sample> candor = new ArrayList<>();
            List<Long> beforeCall = new ArrayList<>();
            long windowNanos = 0;
            long serverNanos = 0;
            long otherNanos = 0;
            for (int round = 1; round <= rounds; round++) {
                direct.addAll(direct(pool, n));
                CandorRound measured = throughCandor(n);
                candor.addAll(measured.samples());
                windowNanos += measured.windowNanos();
                serverNanos += measured.serverNanos();
                otherNanos += measured.otherNanos();
                if (measured.beforeCallMicros() >= 0) {
                    beforeCall.add(measured.beforeCallMicros());
                }
                if (round % 10 == 0 || round == rounds) {
                    Progress.say(n + " conversations: round " + round + " of " + rounds + " done");
                }
            }
            return new LevelResult(n, rounds, List.copyOf(direct), List.copyOf(candor), windowNanos, serverNanos, otherNanos,
                    beforeCall.stream().mapToLong(Long::longValue).toArray(), null);
        } finally {
            pool.shutdownNow();
        }
    }

    /** {@code n} concurrent streaming requests straight to the stand-in, released together. */
    private List<Sample> direct(ExecutorService pool, int n) {
        DirectStream stream = new DirectStream(http, provider.openAiBaseUrl());
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Sample>> runs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            runs.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                    return stream.run(tokens);
                } catch (Exception e) {
                    Progress.say("direct stream failed: " + e);
                    return new Sample(-1, 0, 0, tokens, 0, 0, false);
                }
            }, pool));
        }
        go.countDown();
        return runs.stream().map(CompletableFuture::join).toList();
    }

    /** {@code n} concurrent conversations, each a {@code user_message} on a new thread, released together. */
    private CandorRound throughCandor(int n) throws Exception {
        List<CandorConversation> conversations = new ArrayList<>();
        List<Sample> samples = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                conversations.add(CandorConversation.open(http));
            }
            for (CandorConversation c : conversations) {
                c.ready.get(60, TimeUnit.SECONDS);
            }
            provider.clearRecorded();
            long server0 = CpuUse.processNanos(server.pid());
            long other0 = otherCpu();
            long start = System.nanoTime();
            Instant sent = Instant.now();
            for (CandorConversation c : conversations) {
                c.ask(tokens);
            }
            long deadline = System.nanoTime() + answerWait.toNanos();
            for (CandorConversation c : conversations) {
                samples.add(await(c, deadline));
            }
            long windowNanos = System.nanoTime() - start;
            long serverNanos = CpuUse.processNanos(server.pid()) - server0;
            long otherNanos = otherCpu() - other0;
            long beforeCall = n == 1 && !provider.chatRequests().isEmpty()
                    ? Duration.between(sent, provider.chatRequests().get(0).receivedAt()).toNanos() / 1000 : -1;
            return new CandorRound(samples, windowNanos, serverNanos, otherNanos, beforeCall);
        } finally {
            conversations.forEach(CandorConversation::close);
        }
    }

    private Sample await(CandorConversation c, long deadline) {
        try {
            return c.done.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (Exception e) {
            Progress.say("a conversation did not end: " + e);
            return new Sample(-1, 0, 0, tokens, 0, 0, false);
        }
    }

    private long otherCpu() {
        return CpuUse.descendantNanos(server.pid()) + database.cpuNanos();
    }
}
