package dev.candor.infrastructure.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ZAddParams;

/**
 * Counted places (a user's runs, a user's or an address's connections) as Redis sorted sets of holders scored by the
 * end of their lease. A claim first drops expired holders, so a place held by a node that stopped frees itself when
 * its lease ends; this node renews the leases of what it holds.
 *
 * <p>Every script and command touches one key, so it works on Redis Cluster, where a user's set and an address's set
 * live in different slots. A claim over several sets takes them one by one, each with an atomic check-and-add; when a
 * later set is full, the places already taken are given back. A set therefore never holds more than its limit; a
 * concurrent claim may, for that moment, see a place that is then given back and be refused (it is told to retry).
 */
final class LeaseSets {

    /** KEYS[1]: the set; ARGV: now, lease end, holder, limit, key TTL. 1 when added (or held already), 0 when full. */
    private static final String CLAIM = """
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
            if not redis.call('ZSCORE', KEYS[1], ARGV[3]) and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then
              return 0
            end
            redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
            redis.call('PEXPIRE', KEYS[1], ARGV[5])
            return 1
            """;

    /** What this node holds: holder id -> the sets it is counted in. */
    private final Map<String, List<String>> held = new ConcurrentHashMap<>();

    /** Claims a place for {@code holder} in every set; 0 when claimed, else the 1-based index of the full set. */
    int claim(UnifiedJedis redis, List<String> keys, List<Integer> limits, String holder, long leaseMs) {
        List<String> taken = new ArrayList<>(keys.size());
        try {
            for (int i = 0; i < keys.size(); i++) {
                long now = System.currentTimeMillis();
                Object added = redis.eval(CLAIM, List.of(keys.get(i)), List.of(Long.toString(now),
                        Long.toString(now + leaseMs), holder, Integer.toString(limits.get(i)),
                        Long.toString(leaseMs * 2)));
                if (((Number) added).intValue() == 0) {
                    giveBack(redis, taken, holder);
                    return i + 1;
                }
                taken.add(keys.get(i));
            }
        } catch (RuntimeException e) {
            try {
                giveBack(redis, taken, holder);
            } catch (RuntimeException again) {
                e.addSuppressed(again); // not renewed by anyone: those places free themselves when the lease ends
            }
            throw e;
        }
        held.put(holder, List.copyOf(keys));
        return 0;
    }

    private static void giveBack(UnifiedJedis redis, List<String> taken, String holder) {
        for (String key : taken) {
            redis.zrem(key, holder);
        }
    }

    /**
     * Gives the place up: this node stops renewing it at once, then removes it from Redis (if that fails, its lease
     * runs out). A holder this node does not hold is ignored.
     */
    void release(Supplier<UnifiedJedis> redis, String holder) {
        List<String> keys = held.remove(holder);
        if (keys != null) {
            giveBack(redis.get(), keys, holder);
        }
    }

    /**
     * Pushes the lease end of everything this node holds to {@code leaseMs} from now, in one pipeline of single-key
     * commands; a holder no longer in its set (it expired) is not added back.
     */
    void renew(Supplier<AbstractPipeline> pipelines, long leaseMs) {
        if (held.isEmpty()) {
            return;
        }
        double end = System.currentTimeMillis() + leaseMs;
        try (AbstractPipeline pipeline = pipelines.get()) {
            for (Map.Entry<String, List<String>> entry : held.entrySet()) {
                for (String key : entry.getValue()) {
                    pipeline.zadd(key, end, entry.getKey(), ZAddParams.zAddParams().xx());
                    pipeline.pexpire(key, leaseMs * 2);
                }
            }
            pipeline.sync();
        }
    }

    /** The holders this node has, for giving them up on undeploy. */
    List<String> holders() {
        return List.copyOf(held.keySet());
    }
}
