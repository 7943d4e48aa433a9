package dev.candor.infrastructure.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.infrastructure.config.CandorConfig;
import dev.candor.infrastructure.config.RolloutConfig;
import dev.candor.testsupport.SourcesConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RolloutFeedTest {

    private static final String MODEL_PERCENT = "candor.rollout.provider.model.percent";
    private static final Logger FEED_LOG = Logger.getLogger(RolloutFeed.class.getName());

    @TempDir
    Path dataDir;

    private final List<LogRecord> logged = new ArrayList<>();
    private final Handler capture = new Handler() {
        public void publish(LogRecord record) {
            logged.add(record);
        }

        public void flush() {
        }

        public void close() {
        }
    };
    private RolloutFeed feed;
    private SourcesConfig config;

    @BeforeEach
    void feed() {
        FEED_LOG.addHandler(capture);
        Path file = dataDir.resolve("rollout.properties");
        feed = new RolloutFeed();
        config = new SourcesConfig(new RolloutSource.File(), new RolloutSource.Redis(),
                SourcesConfig.of(Map.of(MODEL_PERCENT, "0")).getConfigSources().iterator().next());
        feed.config = config;
        feed.candor = new CandorConfig() {
            @Override
            public RolloutConfig rollout() {
                return new RolloutConfig(file, Duration.ofSeconds(1), "candor:rollout", Duration.ofSeconds(2));
            }
        };
        assertTrue(feed.attachSources());
        logged.clear();
    }

    @AfterEach
    void release() {
        FEED_LOG.removeHandler(capture);
    }

    private void write(String content) throws IOException {
        Files.writeString(dataDir.resolve("rollout.properties"), content);
        feed.readFile();
    }

    private Optional<String> percent() {
        return config.getOptionalValue(MODEL_PERCENT, String.class);
    }

    private List<String> lines(Level level) {
        return logged.stream().filter(r -> r.getLevel() == level).map(LogRecord::getMessage).toList();
    }

    @Test
    void aChangeOfTheFileIsSeenThroughConfigAndLoggedOnce() throws IOException {
        feed.readFile();
        assertEquals(Optional.of("0"), percent(), "no file: the static value");
        write(MODEL_PERCENT + "=10\n");
        assertEquals(Optional.of("10"), percent());
        feed.readFile(); // unchanged: nothing new to log
        write(MODEL_PERCENT + "=50\n");
        assertEquals(Optional.of("50"), percent());
        assertEquals(List.of("rollout switch " + MODEL_PERCENT + ": 0 -> 10 (source: rollout file)",
                "rollout switch " + MODEL_PERCENT + ": 10 -> 50 (source: rollout file)"), lines(Level.INFO));
        Files.delete(dataDir.resolve("rollout.properties"));
        feed.readFile();
        assertEquals(Optional.of("0"), percent(), "the file removed: the static value again");
        assertEquals("rollout switch " + MODEL_PERCENT + ": 50 -> 0 (source: test map)", lines(Level.INFO).get(2));
    }

    @Test
    void aBadValueIsRejectedWithALineAndThePreviousValueKept() throws IOException {
        write(MODEL_PERCENT + "=10\n");
        write(MODEL_PERCENT + "=ten\n");
        assertEquals(Optional.of("10"), percent());
        assertEquals(1, lines(Level.WARNING).size(), lines(Level.WARNING).toString());
        assertTrue(lines(Level.WARNING).get(0).contains("keeping 10"), lines(Level.WARNING).get(0));
        assertEquals(1, lines(Level.INFO).size(), "only the first change: " + lines(Level.INFO));
    }

    @Test
    void theRedisHashWinsOverTheFile() throws IOException {
        write(MODEL_PERCENT + "=10\n");
        RolloutSource.Redis redis = (RolloutSource.Redis) config.getConfigSources().iterator().next();
        redis.replace(Map.of(MODEL_PERCENT, "30"));
        assertEquals(Optional.of("30"), percent());
    }
}
