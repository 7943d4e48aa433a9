package dev.candor.testsupport;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/** The part of the test server's log written since a moment (found through the jboss.home the build passes). */
public final class ServerLogWindow {

    private final Path file;
    private final long start;

    private ServerLogWindow(Path file, long start) {
        this.file = file;
        this.start = start;
    }

    public static ServerLogWindow fromNow() {
        Path file = Path.of(System.getProperty("jboss.home", "target/server"), "standalone", "log", "server.log");
        try {
            return new ServerLogWindow(file, Files.exists(file) ? Files.size(file) : 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    /** The lines written since this window opened. */
    public List<String> lines() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            byte[] bytes = new byte[(int) Math.max(0, in.length() - start)];
            in.seek(start);
            in.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    /** The first line since this window opened that matches, waiting for it up to {@code timeout}; null if none. */
    public String await(Predicate<String> match, Duration timeout) {
        String[] found = new String[1];
        Eventually.within(timeout, () -> {
            found[0] = lines().stream().filter(match).findFirst().orElse(null);
            return found[0] != null;
        });
        return found[0];
    }
}
