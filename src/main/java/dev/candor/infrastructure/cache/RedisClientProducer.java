package dev.candor.infrastructure.cache;

import dev.candor.application.CandorException;
import dev.candor.application.ErrorCode;
import dev.candor.infrastructure.config.CandorConfig;
import dev.candor.infrastructure.config.RedisConfig;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.logging.Logger;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * Creates the one Redis client (connected by the CACHE phase), produces it for injection and closes it on undeploy.
 * The client is a {@link UnifiedJedis} of one server, of a Sentinel-monitored master or of a Cluster, as
 * {@code CANDOR_REDIS_URL} says ({@link RedisEndpoint}). With no Redis configured outside production it starts a real
 * local redis-server first, and stops it again.
 */
@ApplicationScoped
public class RedisClientProducer {

    private static final Logger LOG = Logger.getLogger(RedisClientProducer.class.getName());

    @Inject
    CandorConfig config;

    /** Runs the per-node parts of a Cluster pipeline that spans several nodes (Jedis would start threads of its own). */
    @Resource(lookup = "java:comp/DefaultManagedExecutorService")
    ExecutorService executor;

    private volatile UnifiedJedis client;
    private volatile RedisProcess localServer;
    private volatile RedisEndpoint endpoint;
    private boolean closed; // guarded by this

    /**
     * Idempotent: connects once and proves the server answers PING; run again (after Redis was lost) it replaces the
     * client by a new one of the same endpoint, restarting the local redis-server on the same port and data directory
     * first if that died, and waits candor.redis.connect-wait-ms for it. Throws with what to set or start. A first
     * connect that fails closes what it opened: the client and a local server it started.
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
        boolean started = false;
        try {
            RedisEndpoint target;
            if (redis.configured()) {
                target = RedisEndpoint.of(redis);
            } else {
                started = localServer == null || !localServer.isAlive();
                target = RedisEndpoint.parse(startLocalServer(redis), Optional.empty());
            }
            this.client = RedisClients.pinged(target, redis);
            this.endpoint = target;
            LOG.info(() -> "Redis answers at " + target);
        } catch (IOException | RuntimeException e) {
            if (started) {
                stopLocalServer(); // nothing half-initialized is left running
            }
            throw e;
        }
    }

    /**
     * After a loss: the local redis-server is started again if it died (same port, same data), and a new client
     * replaces the old one, whose pooled connections may all be to a server that went away. A new Sentinel client
     * asks the sentinels for the current master; a new Cluster client reads the slots again.
     */
    private void reconnect(RedisConfig redis) throws IOException {
        RedisProcess local = localServer;
        if (!redis.configured() && local != null && !local.isAlive()) {
            LOG.warning("the local redis-server on port " + local.port() + " is not running; starting it again on the "
                    + "same port and data directory");
            startLocalServer(redis, local.port());
        }
        UnifiedJedis fresh = RedisClients.pinged(endpoint, redis);
        UnifiedJedis old = client;
        client = fresh;
        old.close();
        LOG.info(() -> "Redis answers at " + endpoint + " again");
    }

    /**
     * A connection of its own, outside the pool, to the Redis the client is connected to (the current master under
     * Sentinel, one of the nodes of a Cluster, whose pub/sub reaches every node): for a subscriber, which holds its
     * connection for as long as it listens. The caller closes it.
     */
    public Jedis dedicatedConnection() {
        UnifiedJedis connected = require();
        return RedisClients.dedicated(endpoint, config.redis(), connected);
    }

    /** A real write, read and delete, each bounded by candor.redis.timeout-ms. */
    public void roundTrip() {
        UnifiedJedis redis = require();
        String key = CacheKeys.probe(UUID.randomUUID().toString());
        redis.set(key, "ok", new SetParams().ex(30));
        String value = redis.get(key);
        redis.del(key);
        if (!"ok".equals(value)) {
            throw new IllegalStateException("Redis at " + endpoint + " returned " + value + " for a key just written");
        }
    }

    public boolean isConnected() {
        return client != null;
    }

    /** Where Redis is, for logs and health (never with a password). */
    public Optional<String> target() {
        return Optional.ofNullable(endpoint).map(RedisEndpoint::toString);
    }

    @Produces
    @Dependent
    UnifiedJedis produce() {
        return require();
    }

    /** The client, for one use: never keep it (re-initializing CACHE replaces it). */
    public UnifiedJedis client() {
        return require();
    }

    /**
     * A pipeline of the current client. On Cluster, commands for several nodes are sent and read on the application
     * server's managed executor, one task per node.
     */
    AbstractPipeline pipelined() {
        UnifiedJedis redis = require();
        return redis instanceof RedisClusterClient cluster ? cluster.pipelined(executor) : redis.pipelined();
    }

    UnifiedJedis require() {
        UnifiedJedis redis = client;
        if (redis == null) {
            throw new CandorException(ErrorCode.NOT_READY, "Redis is not connected yet (phase CACHE)", true);
        }
        return redis;
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
            throw new IllegalStateException("no Redis configured: set CANDOR_REDIS_URL (" + RedisEndpoint.FORMS + ")"
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
