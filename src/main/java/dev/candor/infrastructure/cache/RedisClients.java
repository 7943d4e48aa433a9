package dev.candor.infrastructure.cache;

import dev.candor.infrastructure.config.RedisConfig;
import dev.candor.infrastructure.config.Secret;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Builds the Jedis client of a {@link RedisEndpoint}: a {@link RedisClient} for one server, a
 * {@link RedisSentinelClient} (which follows the master Sentinel names, also after a failover) or a
 * {@link RedisClusterClient} (which follows the slots), all {@link UnifiedJedis}. Every one has an explicitly sized pool:
 * candor.redis.max-connections (per node on Cluster), and a call waits at most candor.redis.max-wait-ms for one. A new
 * client is handed out only once it has answered PING ({@link #pinged}).
 */
final class RedisClients {

    private RedisClients() {
    }

    static UnifiedJedis open(RedisEndpoint endpoint, RedisConfig redis) {
        DefaultJedisClientConfig.Builder node = base(redis, endpoint.tls()).database(endpoint.database());
        endpoint.user().ifPresent(node::user);
        endpoint.password().map(Secret::reveal).ifPresent(node::password);
        ConnectionPoolConfig pool = pool(redis);
        return switch (endpoint.mode()) {
            case STANDALONE -> RedisClient.builder().hostAndPort(endpoint.nodes().get(0)).clientConfig(node.build())
                    .poolConfig(pool).build();
            case SENTINEL -> RedisSentinelClient.builder().masterName(endpoint.master().orElseThrow())
                    .sentinels(new HashSet<>(endpoint.nodes())).clientConfig(node.build())
                    .sentinelClientConfig(sentinelConfig(redis, endpoint.tls())).poolConfig(pool).build();
            case CLUSTER -> RedisClusterClient.builder().nodes(new HashSet<>(endpoint.nodes())).clientConfig(node.build())
                    .poolConfig(pool).build();
        };
    }

    /**
     * A new client of {@code target} that has answered PING, trying until candor.redis.connect-wait-ms passes (a
     * Sentinel or Cluster client already fails to build when no node answers: it is built again); closed again if it
     * never answers.
     */
    static UnifiedJedis pinged(RedisEndpoint target, RedisConfig redis) throws IOException {
        long deadline = System.nanoTime() + redis.connectWait().toNanos();
        UnifiedJedis created = null;
        try {
            while (true) {
                try {
                    if (created == null) {
                        created = RedisClients.open(target, redis);
                    }
                    created.ping();
                    UnifiedJedis answered = created;
                    created = null;
                    return answered;
                } catch (RuntimeException e) {
                    if (System.nanoTime() < deadline) {
                        pause();
                        continue;
                    }
                    throw new IOException("Redis at " + target + " did not answer PING within "
                            + redis.timeout().toMillis() + " ms" + (redis.connectWait().isZero() ? ""
                            : " (tried for " + redis.connectWait().toMillis() + " ms)") + ": " + e.getMessage()
                            + ". Start Redis or fix CANDOR_REDIS_URL", e);
                }
            }
        } finally {
            if (created != null) {
                created.close();
            }
        }
    }

    /**
     * A connection outside the pool, in RESP2 (a plain Jedis's protocol, with no negotiation), to where {@code client}
     * sends its commands: the one server, the master the sentinels name now, or one node of the cluster.
     */
    static Jedis dedicated(RedisEndpoint endpoint, RedisConfig redis, UnifiedJedis client) {
        DefaultJedisClientConfig.Builder node = base(redis, endpoint.tls()).database(endpoint.database())
                .clientName("candor-subscriber").protocol(RedisProtocol.RESP2);
        endpoint.user().ifPresent(node::user);
        endpoint.password().map(Secret::reveal).ifPresent(node::password);
        HostAndPort target = switch (endpoint.mode()) {
            case STANDALONE -> endpoint.nodes().get(0);
            case SENTINEL -> currentMaster(endpoint, redis);
            case CLUSTER -> ((RedisClusterClient) client).getClusterNodes().keySet().stream().findFirst()
                    .map(HostAndPort::from)
                    .orElseThrow(() -> new JedisConnectionException("the Redis cluster lists no node"));
        };
        return new Jedis(target, node.build());
    }

    /** The master's address, from the first sentinel that answers. */
    private static HostAndPort currentMaster(RedisEndpoint endpoint, RedisConfig redis) {
        JedisException last = null;
        for (HostAndPort sentinel : endpoint.nodes()) {
            try (Jedis asked = new Jedis(sentinel, sentinelConfig(redis, endpoint.tls()))) {
                List<String> address = asked.sentinelGetMasterAddrByName(endpoint.master().orElseThrow());
                if (address != null && address.size() == 2) {
                    return new HostAndPort(address.get(0), Integer.parseInt(address.get(1)));
                }
            } catch (JedisException e) {
                last = e;
            }
        }
        throw new JedisConnectionException("no sentinel named the master " + endpoint.master().orElseThrow(), last);
    }

    /** The sentinels speak RESP2 (Jedis's sentinel connections would warn at every connect when left to negotiate). */
    private static JedisClientConfig sentinelConfig(RedisConfig redis, boolean tls) {
        DefaultJedisClientConfig.Builder sentinel = base(redis, tls).protocol(RedisProtocol.RESP2);
        redis.sentinelPassword().map(Secret::reveal).ifPresent(sentinel::password);
        return sentinel.build();
    }

    private static DefaultJedisClientConfig.Builder base(RedisConfig redis, boolean tls) {
        int timeout = (int) redis.timeout().toMillis();
        return DefaultJedisClientConfig.builder().connectionTimeoutMillis(timeout).socketTimeoutMillis(timeout)
                .ssl(tls).clientName("candor");
    }

    /** Bounded both ways: at most max-connections, and a wait for one of at most max-wait-ms, then a failure. */
    static ConnectionPoolConfig pool(RedisConfig redis) {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(redis.maxConnections());
        pool.setMaxIdle(redis.maxConnections());
        pool.setMinIdle(0);
        pool.setBlockWhenExhausted(true);
        pool.setMaxWait(redis.maxWait());
        return pool;
    }

    private static void pause() throws IOException {
        try {
            Thread.sleep(25); // notice a Redis that comes up quickly; a refused connection costs nothing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for Redis", e);
        }
    }
}
