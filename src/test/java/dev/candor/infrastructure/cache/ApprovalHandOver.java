package dev.candor.infrastructure.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.application.agent.ApprovalAnswered;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * Approvals through a topology: an answer is handed over only while its call is awaited, once, heard on the channel
 * and readable from the record; the record of an ended wait is gone. Runs in many slots.
 */
final class ApprovalHandOver {

    private ApprovalHandOver() {
    }

    static void handsOverOnlyAwaitedCallsOnce(CacheUnderTest cache) throws Exception {
        List<String> runs = IntStream.range(0, 20).mapToObj(i -> UUID.randomUUID().toString()).toList();
        CompletableFuture<Optional<ApprovalAnswered>> heard = new CompletableFuture<>();
        JedisPubSub listener = new JedisPubSub() {
            @Override
            public void onMessage(String channel, String message) {
                heard.complete(RedisRunApprovals.decode(message));
            }
        };
        Map<String, String> awaited = new HashMap<>();
        runs.forEach(run -> {
            cache.approvals.awaiting(run, "call-" + run, Duration.ofSeconds(30));
            awaited.put(run, "call-" + run);
        });
        String first = runs.get(3);
        CompletableFuture<Void> listening;
        try (Jedis subscriber = cache.producer.dedicatedConnection()) {
            listening = CompletableFuture.runAsync(() -> subscriber.subscribe(listener, CacheKeys.approvalChannel()));
            for (int i = 0; i < 100 && listener.getSubscribedChannels() == 0; i++) {
                Thread.sleep(20);
            }
            assertFalse(cache.approvals.answer(first, "another-call", true), "an answer for a call not awaited");
            assertTrue(cache.approvals.answer(first, "call-" + first, true));
            assertEquals(Optional.of(new ApprovalAnswered(first, "call-" + first, true)),
                    heard.get(5, TimeUnit.SECONDS));
            listener.unsubscribe();
            listening.get(5, TimeUnit.SECONDS);
        }
        assertFalse(cache.approvals.answer(first, "call-" + first, false), "a second answer was handed over");
        runs.subList(10, 15).forEach(run -> assertTrue(cache.approvals.answer(run, "call-" + run, false)));
        Map<String, Boolean> answered = cache.approvals.answered(awaited);
        assertEquals(6, answered.size(), answered.toString());
        assertEquals(Boolean.TRUE, answered.get(first));
        runs.subList(10, 15).forEach(run -> assertEquals(Boolean.FALSE, answered.get(run), run));

        runs.forEach(run -> cache.approvals.ended(run, "call-" + run));
        runs.forEach(run -> assertNull(cache.producer.client().get(CacheKeys.runApproval(run)), run));
        assertFalse(cache.approvals.answer(runs.get(0), "call-" + runs.get(0), true), "answered after the wait ended");
    }
}
