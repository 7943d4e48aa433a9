package dev.candor.infrastructure.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import redis.clients.jedis.RedisClient;

/**
 * Counted places (a user's runs, a user's or an address's connections) as Redis sorted sets of holders scored by the
 * end of their lease. A claim first drops expired holders, so a place held by a node that stopped frees itself when
 * its lease ends; this node renews the leases of what it holds. One claim is atomic over all its sets (one script).
 */
final class LeaseSets {

    /** KEYS: the sets; ARGV: now, lease end, holder, one limit per set, key TTL. 0 or the 1-based set that is full. */
    private static final String CLAIM = """
            local now = tonumber(ARGV[1])
            for i, key in ipairs(KEYS) do
              redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
              if not redis.call('ZSCORE', key, ARGV[3]) and redis.call('ZCARD', key) >= tonumber(ARGV[3 + i]) then
                return i
              end
            end
            for i, key in ipairs(KEYS) do
              redis.call('ZADD', key, ARGV[2], ARGV[3])
              redis.call('PEXPIRE', key, ARGV[#ARGV])
            end
            return 0
            """;

    /** KEYS: sets; ARGV: lease end, key TTL, then one holder per set. Renews only holders still present. */
    private static final String RENEW = """
            for i, key in ipairs(KEYS) do
              redis.call('ZADD', key, 'XX', ARGV[1], ARGV[2 + i])
              redis.call('PEXPIRE', key, ARGV[2])
            end
            return 0
            """;

    private static final int RENEW_BATCH = 200;

    /** What this node holds: holder id -> the sets it is counted in. */
    private final Map<String, List<String>> held = new ConcurrentHashMap<>();

    /** Claims a place for {@code holder} in every set; 0 when claimed, else the 1-based index of the full set. */
    int claim(RedisClient redis, List<String> keys, List<Integer> limits, String holder, long leaseMs) {
        long now = System.currentTimeMillis();
        List<String> args = new ArrayList<>();
        args.add(Long.toString(now));
        args.add(Long.toString(now + leaseMs));
        args.add(holder);
        limits.forEach(limit -> args.add(Integer.toString(limit)));
        args.add(Long.toString(leaseMs * 2));
        int full = ((Number) redis.eval(CLAIM, keys, args)).intValue();
        if (full == 0) {
            held.put(holder, List.copyOf(keys));
        }
        return full;
    }

    /**
     * Gives the place up: this node stops renewing it at once, then removes it from Redis (if that fails, its lease
     * runs out). A holder this node does not hold is ignored.
     */
    void release(Supplier<RedisClient> redis, String holder) {
        List<String> keys = held.remove(holder);
        if (keys != null) {
            RedisClient client = redis.get();
            for (String key : keys) {
                client.zrem(key, holder);
            }
        }
    }

    /** Pushes the lease end of everything this node holds to {@code leaseMs} from now. */
    void renew(RedisClient redis, long leaseMs) {
        List<String> keys = new ArrayList<>();
        List<String> holders = new ArrayList<>();
        for (Map.Entry<String, List<String>> entry : held.entrySet()) {
            for (String key : entry.getValue()) {
                keys.add(key);
                holders.add(entry.getKey());
                if (keys.size() == RENEW_BATCH) {
                    renewBatch(redis, keys, holders, leaseMs);
                }
            }
        }
        if (!keys.isEmpty()) {
            renewBatch(redis, keys, holders, leaseMs);
        }
    }

    private static void renewBatch(RedisClient redis, List<String> keys, List<String> holders, long leaseMs) {
        List<String> args = new ArrayList<>();
        args.add(Long.toString(System.currentTimeMillis() + leaseMs));
        args.add(Long.toString(leaseMs * 2));
        args.addAll(holders);
        redis.eval(RENEW, keys, args);
        keys.clear();
        holders.clear();
    }

    /** The holders this node has, for giving them up on undeploy. */
    List<String> holders() {
        return List.copyOf(held.keySet());
    }
}
