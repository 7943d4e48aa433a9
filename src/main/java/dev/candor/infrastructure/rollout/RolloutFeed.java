package dev.candor.infrastructure.rollout;

import dev.candor.application.rollout.RolloutSwitches;
import dev.candor.infrastructure.cache.RedisClientProducer;
import dev.candor.infrastructure.config.CandorConfig;
import dev.candor.infrastructure.config.RolloutConfig;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigValue;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Feeds the {@link RolloutSource}s: reads the rollout file every candor.rollout.file-poll-ms and, once Redis is
 * connected, the rollout hash every candor.rollout.redis-poll-ms, on the managed scheduler. Content that changed is
 * checked ({@link RolloutProperties}) and replaces the source's; then every switch whose effective value (what Config
 * answers, whichever source gives it) changed is logged once at INFO with its old and new value and source.
 */
@ApplicationScoped
public class RolloutFeed {

    private static final Logger LOG = Logger.getLogger(RolloutFeed.class.getName());

    @Inject
    Config config;

    @Inject
    CandorConfig candor;

    @Inject
    RedisClientProducer redis;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private final List<ScheduledFuture<?>> schedules = new ArrayList<>();
    private final Map<String, String> effective = new HashMap<>();
    private final Layer fileLayer = new Layer();
    private final Layer redisLayer = new Layer();

    void start(@Observes @Initialized(ApplicationScoped.class) Object event) {
        if (!attachSources()) {
            LOG.warning("the rollout sources are not registered with MicroProfile Config; rollout switches keep "
                    + "their static values");
            return;
        }
        RolloutConfig rollout = candor.rollout();
        LOG.info(() -> "rollout switches: file " + rollout.file() + " (every " + rollout.filePoll().toMillis()
                + " ms), Redis hash " + rollout.redisKey() + " (every " + rollout.redisPoll().toMillis() + " ms)");
        schedules.add(scheduler.scheduleWithFixedDelay(() -> guarded(this::readFile), 0,
                rollout.filePoll().toMillis(), TimeUnit.MILLISECONDS));
        schedules.add(scheduler.scheduleWithFixedDelay(() -> guarded(this::readRedis), 0,
                rollout.redisPoll().toMillis(), TimeUnit.MILLISECONDS));
    }

    /** Finds the two sources among Config's and logs the switches the static configuration sets; false if absent. */
    boolean attachSources() {
        fileLayer.source = source(RolloutSource.File.class);
        redisLayer.source = source(RolloutSource.Redis.class);
        synchronized (this) {
            logChanges();
        }
        return fileLayer.source != null && redisLayer.source != null;
    }

    @PreDestroy
    void stop() {
        schedules.forEach(schedule -> schedule.cancel(false));
    }

    /** A failure is logged and the next read still comes (a periodic task that throws is never run again). */
    private static void guarded(Runnable read) {
        try {
            read.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "reading the rollout switches failed; the next read retries", e);
        }
    }

    /** Reads the file; a missing file sets nothing, an unreadable one keeps what it set before. */
    void readFile() {
        Path file = candor.rollout().file();
        fileLayer.read("rollout file " + file, () -> load(file));
    }

    /** Reads the hash once Redis is connected; while Redis cannot be read, the hash's last content stays. */
    void readRedis() {
        if (redis.isConnected()) {
            String key = candor.rollout().redisKey();
            redisLayer.read("Redis hash " + key, () -> redis.client().hgetAll(key));
        }
    }

    /** What a layer's source answers: its raw entries. */
    private interface Reading {
        Map<String, String> read() throws IOException;
    }

    /** One runtime source, with what it said last and the problem reported last. */
    private final class Layer {
        private RolloutSource source;
        private Map<String, String> lastRead;
        private String problem;

        /** Reads outside the feed's lock; applies a change (checked) and logs what it changed under it. */
        void read(String origin, Reading reading) {
            Map<String, String> raw;
            try {
                raw = reading.read();
            } catch (IOException | RuntimeException e) {
                synchronized (RolloutFeed.this) {
                    problem = reportOnce(problem, "cannot read the " + origin + " (" + e
                            + "); keeping the switches it set before");
                }
                return;
            }
            synchronized (RolloutFeed.this) {
                problem = null;
                if (!raw.equals(lastRead)) {
                    lastRead = raw;
                    source.replace(RolloutProperties.accept(raw, source.properties(), origin, LOG::warning));
                    logChanges();
                }
            }
        }
    }

    /** Logs every switch whose effective value changed since the last look; the caller holds this feed's lock. */
    private void logChanges() {
        Set<String> keys = new TreeSet<>(effective.keySet());
        for (ConfigSource source : config.getConfigSources()) {
            source.getPropertyNames().stream().filter(key -> RolloutSwitches.KEY.matcher(key).matches())
                    .forEach(keys::add);
        }
        for (String key : keys) {
            ConfigValue value = config.getConfigValue(key);
            String now = value.getValue();
            String before = effective.get(key);
            if (Objects.equals(now, before)) {
                continue;
            }
            LOG.info(() -> "rollout switch " + key + ": " + (before != null ? before : "unset") + " -> "
                    + (now != null ? now + " (source: " + value.getSourceName() + ")" : "unset (its default applies)"));
            if (now == null) {
                effective.remove(key);
            } else {
                effective.put(key, now);
            }
        }
    }

    private static Map<String, String> load(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            return Map.of();
        }
        Map<String, String> raw = new HashMap<>();
        properties.stringPropertyNames().forEach(name -> raw.put(name, properties.getProperty(name)));
        return raw;
    }

    /** Logs a problem at WARNING the first time, then at FINE while it repeats; returns it, to compare next time. */
    private static String reportOnce(String previous, String problem) {
        LOG.log(problem.equals(previous) ? Level.FINE : Level.WARNING, problem);
        return problem;
    }

    private <T extends RolloutSource> T source(Class<T> type) {
        for (ConfigSource source : config.getConfigSources()) {
            if (type.isInstance(source)) {
                return type.cast(source);
            }
        }
        return null;
    }
}
