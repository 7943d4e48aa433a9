package dev.candor.testsupport;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/** The part of the test server's server.log written since this was made (found through the jboss.home the build passes). */
public final class ServerLogTail {

    private final Path file;
    private final long start;

    private ServerLogTail(Path file, long start) {
        this.file = file;
        this.start = start;
    }

    public static ServerLogTail fromNow() {
        Path file = Path.of(System.getProperty("jboss.home", "target/server"), "standalone", "log", "server.log");
        try {
            return new ServerLogTail(file, Files.exists(file) ? Files.size(file) : -1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where the log is. */
    public Path file() {
        return file;
    }

    /** False when there was no log to follow. */
    public boolean found() {
        return start >= 0;
    }

    /** The lines written since, none when there was no log. */
    public List<String> lines() {
        if (start < 0 || !Files.exists(file)) {
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

    /** The first line written since this was made that matches, waiting for it up to {@code timeout}; null if none. */
    public String await(Predicate<String> match, Duration timeout) {
        String[] found = new String[1];
        Eventually.within(timeout, () -> {
            found[0] = lines().stream().filter(match).findFirst().orElse(null);
            return found[0] != null;
        });
        return found[0];
    }
}
