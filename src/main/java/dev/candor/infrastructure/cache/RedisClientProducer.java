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
import redis.clients.jedis.Jedis;
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
    private volatile URI uri;
    private boolean closed; // guarded by this

    /**
     * Idempotent: connects once and proves the server answers PING; run again (after Redis was lost) it PINGs the
     * client it has, restarting the local redis-server on the same port and data directory first if that died, and
     * waits candor.redis.connect-wait-ms for it. Throws with what to set or start. A first connect that fails closes
     * what it opened: the client and a local server it started.
     */
    public synchronized void connect() throws IOException {
        if (closed) {
            throw new IllegalStateException("the application is stopping");
        }
        RedisConfig redis = config.redis();
        if (client != null) {
            reconnect(redis);
            return;
        }
        String url = redis.url().orElse(null);
        boolean started = false;
        if (url == null) {
            started = localServer == null || !localServer.isAlive();
            url = startLocalServer(redis);
        }
        try {
            URI uri = URI.create(url);
            if (!JedisURIHelper.isValid(uri)) {
                throw new IllegalArgumentException("CANDOR_REDIS_URL must look like redis://[:password@]host:port[/db] "
                        + "or rediss://..., got a value with scheme '" + uri.getScheme() + "'");
            }
            String where = uri.getHost() + ":" + uri.getPort() + "/" + JedisURIHelper.getDBIndex(uri);
            this.client = pinged(uri, where, redis);
            this.uri = uri;
            this.target = where;
            LOG.info(() -> "Redis answers at " + where);
        } catch (IOException | RuntimeException e) {
            if (started) {
                stopLocalServer(); // nothing half-initialized is left running
            }
            throw e;
        }
    }

    /**
     * After a loss: the local redis-server is started again if it died (same port, same data), and a new client
     * replaces the old one, whose pooled connections may all be to the server that went away.
     */
    private void reconnect(RedisConfig redis) throws IOException {
        RedisProcess local = localServer;
        if (redis.url().isEmpty() && local != null && !local.isAlive()) {
            LOG.warning("the local redis-server on port " + local.port() + " is not running; starting it again on the "
                    + "same port and data directory");
            startLocalServer(redis, local.port());
        }
        RedisClient fresh = pinged(uri, target, redis);
        RedisClient old = client;
        client = fresh;
        old.close();
        LOG.info(() -> "Redis answers at " + target + " again");
    }

    /** A new client of {@code uri} that has answered PING; closed again if it never does. */
    private static RedisClient pinged(URI uri, String where, RedisConfig redis) throws IOException {
        RedisClient created = RedisClient.builder().hostAndPort(JedisURIHelper.getHostAndPort(uri))
                .clientConfig(clientConfig(uri, redis, "candor").build()).build();
        try {
            awaitPing(created, where, redis);
            return created;
        } catch (IOException | RuntimeException e) {
            created.close();
            throw e;
        }
    }

    private static DefaultJedisClientConfig.Builder clientConfig(URI uri, RedisConfig redis, String name) {
        int timeout = (int) redis.timeout().toMillis();
        DefaultJedisClientConfig.Builder clientConfig = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(timeout).socketTimeoutMillis(timeout)
                .database(JedisURIHelper.getDBIndex(uri)).ssl(JedisURIHelper.isRedisSSLScheme(uri))
                .clientName(name);
        Optional.ofNullable(JedisURIHelper.getUser(uri)).ifPresent(clientConfig::user);
        Optional.ofNullable(JedisURIHelper.getPassword(uri)).ifPresent(clientConfig::password);
        return clientConfig;
    }

    /**
     * A connection of its own, outside the pool, to the Redis the client is connected to: for a subscriber, which holds
     * its connection for as long as it listens. The caller closes it.
     */
    public Jedis dedicatedConnection() {
        require();
        URI connected = uri;
        return new Jedis(JedisURIHelper.getHostAndPort(connected), clientConfig(connected, config.redis(),
                "candor-subscriber").autoNegotiateProtocol(false).build()); // a plain Jedis speaks RESP2, the default
    }

    /** PINGs until it answers or candor.redis.connect-wait-ms passes. */
    private static void awaitPing(RedisClient redisClient, String where, RedisConfig redis) throws IOException {
        long deadline = System.nanoTime() + redis.connectWait().toNanos();
        while (true) {
            try {
                redisClient.ping();
                return;
            } catch (RuntimeException e) {
                if (System.nanoTime() < deadline) {
                    pause();
                    continue;
                }
                throw new IOException("Redis at " + where + " did not answer PING within " + redis.timeout().toMillis()
                        + " ms" + (redis.connectWait().isZero() ? "" : " (tried for " + redis.connectWait().toMillis()
                        + " ms)") + ": " + e.getMessage() + ". Start Redis or fix CANDOR_REDIS_URL", e);
            }
        }
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

    /** The client, for one use: never keep it (re-initializing CACHE replaces it). */
    public RedisClient client() {
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

    /** Undeploy: synchronized with {@link #connect}, so a CACHE re-run under way cannot start a server after this. */
    @PreDestroy
    synchronized void close() {
        closed = true;
        if (client != null) {
            client.close();
        }
        stopLocalServer();
    }

    private String startLocalServer(RedisConfig redis) throws IOException {
        return startLocalServer(redis, 0);
    }

    /** Starts the local redis-server unless it runs; {@code port} 0 picks a free one, else it reuses that port. */
    private String startLocalServer(RedisConfig redis, int port) throws IOException {
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
            localServer = RedisProcess.startIn(executable, dir, port, Duration.ofSeconds(10));
            LOG.info("no CANDOR_REDIS_URL set: started a local redis-server (" + executable + ") on 127.0.0.1:"
                    + localServer.port() + " with its data in " + dir + "; it stops with the application");
        }
        return localServer.url();
    }

    private void stopLocalServer() {
        RedisProcess server = localServer;
        localServer = null;
        if (server != null) {
            server.close();
            LOG.info("stopped the local redis-server on port " + server.port());
        }
    }

    /** The local redis-server this application started, if any; for tests of its supervision. */
    public Optional<RedisProcess> localServer() {
        return Optional.ofNullable(localServer);
    }
}
