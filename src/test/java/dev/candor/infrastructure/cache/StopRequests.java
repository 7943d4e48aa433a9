package dev.candor.infrastructure.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/** Stop requests through a topology: flags of runs in many slots, and the channel heard on a dedicated connection. */
final class StopRequests {

    private StopRequests() {
    }

    static void flagsAndChannelWork(CacheUnderTest cache) throws Exception {
        List<String> runs = IntStream.range(0, 30).mapToObj(i -> UUID.randomUUID().toString()).toList();
        CompletableFuture<String> heard = new CompletableFuture<>();
        JedisPubSub listener = new JedisPubSub() {
            @Override
            public void onMessage(String channel, String message) {
                heard.complete(channel + " " + message);
            }
        };
        CompletableFuture<Void> listening;
        try (Jedis subscriber = cache.producer.dedicatedConnection()) {
            listening = CompletableFuture.runAsync(() -> subscriber.subscribe(listener, CacheKeys.stopChannel()));
            for (int i = 0; i < 100 && listener.getSubscribedChannels() == 0; i++) {
                Thread.sleep(20);
            }
            assertEquals(1, listener.getSubscribedChannels(), "the dedicated connection subscribed");
            cache.stops.request(runs.get(7));
            assertEquals(CacheKeys.stopChannel() + " " + runs.get(7), heard.get(5, TimeUnit.SECONDS));
            listener.unsubscribe();
            listening.get(5, TimeUnit.SECONDS);
        }
        runs.subList(10, 20).forEach(cache.stops::request);
        Set<String> requested = cache.stops.requested(runs);
        assertEquals(11, requested.size(), requested.toString());
        assertTrue(requested.containsAll(runs.subList(10, 20)) && requested.contains(runs.get(7)), requested.toString());
    }
}
