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
