package dev.candor.testsupport;

import dev.candor.infrastructure.cache.RedisProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Starts a real redis-server for tests run outside the server: the binary the build provisioned into it. */
public final class LocalRedis {

    private LocalRedis() {
    }

    /**
     * A redis-server of its own for one test deployment, on a free port, stopped when the tests' JVM exits; its URL.
     * For tests whose Redis state (limits counted per user and day) must not hold what earlier deployments left.
     */
    public static String ofItsOwn() {
        RedisProcess redis = start(Ports.free());
        Runtime.getRuntime().addShutdownHook(new Thread(redis::close));
        return "redis://127.0.0.1:" + redis.port();
    }

    public static RedisProcess start(int port) {
        Path home = Path.of(System.getProperty("jboss.home", "target/server"));
        Path executable = RedisProcess.findExecutable(Optional.empty(), Optional.of(home))
                .orElseThrow(() -> new IllegalStateException("no redis-server under " + home));
        try {
            return RedisProcess.start(executable, port, Duration.ofSeconds(10));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
