package dev.candor.infrastructure.cache;

import dev.candor.application.CandorException;
import dev.candor.application.ErrorCode;
import dev.candor.infrastructure.config.CandorConfig;
import dev.candor.infrastructure.config.RedisConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * Creates the one Redis client (connected by the CACHE phase), produces it for injection and closes it on undeploy.
 * With no {@code CANDOR_REDIS_URL} outside production it starts a real local redis-server first, and stops it again.
 */
@ApplicationScoped
public class RedisClientProducer {

    private static final Logger LOG = Logger.getLogger(RedisClientProducer.class.getName());

    @Inject
    CandorConfig config;

    private volatile RedisClient client;
    private volatile RedisProcess localServer;
    private volatile String target;

    /** Idempotent: connects once and proves the server answers PING. Throws with what to set or start. */
    public synchronized void connect() throws IOException {
        if (client != null) {
            return;
        }
        RedisConfig redis = config.redis();
        String url = redis.url().orElse(null);
        if (url == null) {
            url = startLocalServer(redis);
        }
        URI uri = URI.create(url);
        if (!JedisURIHelper.isValid(uri)) {
            throw new IllegalArgumentException("CANDOR_REDIS_URL must look like redis://[:password@]host:port[/db] or "
                    + "rediss://..., got a value with scheme '" + uri.getScheme() + "'");
        }
        int timeout = (int) redis.timeout().toMillis();
        DefaultJedisClientConfig.Builder clientConfig = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(timeout).socketTimeoutMillis(timeout)
                .database(JedisURIHelper.getDBIndex(uri)).ssl(JedisURIHelper.isRedisSSLScheme(uri))
                .clientName("candor");
        Optional.ofNullable(JedisURIHelper.getUser(uri)).ifPresent(clientConfig::user);
        Optional.ofNullable(JedisURIHelper.getPassword(uri)).ifPresent(clientConfig::password);
        String where = uri.getHost() + ":" + uri.getPort() + "/" + JedisURIHelper.getDBIndex(uri);
        RedisClient created = RedisClient.builder().hostAndPort(JedisURIHelper.getHostAndPort(uri))
                .clientConfig(clientConfig.build()).build();
        long deadline = System.nanoTime() + redis.connectWait().toNanos();
        while (true) {
            try {
                created.ping();
                break;
            } catch (RuntimeException e) {
                if (System.nanoTime() < deadline) {
                    pause();
                    continue;
                }
                created.close();
                throw new IOException("Redis at " + where + " did not answer PING within " + timeout + " ms"
                        + (redis.connectWait().isZero() ? "" : " (tried for " + redis.connectWait().toMillis() + " ms)")
                        + ": " + e.getMessage() + ". Start Redis or fix CANDOR_REDIS_URL", e);
            }
        }
        this.target = where;
        this.client = created;
        LOG.info(() -> "Redis answers at " + where);
    }

    /** A real write, read and delete, each bounded by candor.redis.timeout-ms. */
    public void roundTrip() {
        RedisClient redis = require();
        String key = CacheKeys.probe(UUID.randomUUID().toString());
        redis.set(key, "ok", new SetParams().ex(30));
        String value = redis.get(key);
        redis.del(key);
        if (!"ok".equals(value)) {
            throw new IllegalStateException("Redis at " + target + " returned " + value + " for a key just written");
        }
    }

    public boolean isConnected() {
        return client != null;
    }

    public Optional<String> target() {
        return Optional.ofNullable(target);
    }

    @Produces
    @Dependent
    RedisClient produce() {
        return require();
    }

    RedisClient require() {
        RedisClient redis = client;
        if (redis == null) {
            throw new CandorException(ErrorCode.NOT_READY, "Redis is not connected yet (phase CACHE)", true);
        }
        return redis;
    }

    private static void pause() throws IOException {
        try {
            Thread.sleep(25); // notice a Redis that comes up quickly; a refused connection costs nothing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for Redis", e);
        }
    }

    @PreDestroy
    void close() {
        if (client != null) {
            client.close();
        }
        if (localServer != null) {
            localServer.close();
            LOG.info("stopped the local redis-server on port " + localServer.port());
        }
    }

    private String startLocalServer(RedisConfig redis) throws IOException {
        if (config.environment().isProduction() || !redis.embedded()) {
            throw new IllegalStateException("no Redis configured: set CANDOR_REDIS_URL (redis://[:password@]host:port[/db])"
                    + (config.environment().isProduction() ? "; production never starts a local redis-server" : ""));
        }
        if (localServer == null || !localServer.isAlive()) {
            Optional<Path> jbossHome = Optional.ofNullable(System.getProperty("jboss.home.dir")).map(Path::of);
            Path executable = RedisProcess.findExecutable(redis.embeddedExecutable(), jbossHome).orElseThrow(() ->
                    new IllegalStateException("no CANDOR_REDIS_URL set and no redis-server binary found (looked for "
                            + "/usr/bin/redis-server and $JBOSS_HOME/candor-redis); set CANDOR_REDIS_URL"));
            Path dir = config.dataDir().resolve("redis");
            localServer = RedisProcess.startIn(executable, dir, Duration.ofSeconds(10));
            LOG.info("no CANDOR_REDIS_URL set: started a local redis-server (" + executable + ") on 127.0.0.1:"
                    + localServer.port() + " with its data in " + dir + "; it stops with the application");
        }
        return localServer.url();
    }
}
