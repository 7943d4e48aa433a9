package dev.candor.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A private WildFly for one scenario: a fresh copy of the provisioned server with the WAR in
 * {@code standalone/deployments}, started by {@code bin/standalone.sh} with a port offset so that it never meets a
 * server on the default ports. Stopping it ends only the processes it started.
 */
public final class BenchServer implements AutoCloseable {

    /** Added to every WildFly port: HTTP 9080, management (health) 10990. */
    static final int PORT_OFFSET = 1000;
    static final int HTTP_PORT = 8080 + PORT_OFFSET;
    static final int MANAGEMENT_PORT = 9990 + PORT_OFFSET;

    /** Inherited environment variables dropped before the scenario sets its own. */
    private static final String CANDOR_PREFIX = "CANDOR_";
    private static final Set<String> SKIPPED_DIRS = Set.of("data", "log", "tmp");

    private final Path home;
    private final Process launcher;
    private final ProcessHandle jvm;
    private final int portOffset;

    private BenchServer(Path home, Process launcher, ProcessHandle jvm, int portOffset) {
        this.home = home;
        this.launcher = launcher;
        this.jvm = jvm;
        this.portOffset = portOffset;
    }

    /**
     * Copies {@code provisioned} to {@code home} (replacing what was there), deploys {@code war} and starts the server
     * with exactly {@code env} as its CANDOR_* settings and {@code javaOpts} as JAVA_OPTS.
     */
    public static BenchServer start(Path provisioned, Path war, Path home, Map<String, String> env, String javaOpts)
            throws IOException {
        return start(provisioned, war, home, env, javaOpts, PORT_OFFSET);
    }

    /** As {@link #start(Path, Path, Path, Map, String)}, on another port offset (one server of several). */
    public static BenchServer start(Path provisioned, Path war, Path home, Map<String, String> env, String javaOpts,
            int portOffset) throws IOException {
        requireFree(8080 + portOffset);
        requireFree(9990 + portOffset);
        deleteTree(home);
        copyTree(provisioned, home);
        Files.copy(war, home.resolve("standalone/deployments").resolve(war.getFileName()));
        Path pidFile = home.resolve("server.pid");
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/standalone.sh").toString(),
                "--stability=community", "-Djboss.socket.binding.port-offset=" + portOffset)
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("console.log").toFile());
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(k -> k.startsWith(CANDOR_PREFIX));
        environment.putAll(env);
        // Each server keeps its embedded database in its own folder unless told otherwise, never in ~/.candor
        environment.putIfAbsent("CANDOR_DATA_DIR", home.resolve("candor-data").toString());
        environment.put("JAVA_HOME", System.getProperty("java.home"));
        environment.put("JAVA_OPTS", javaOpts);
        environment.put("LAUNCH_JBOSS_IN_BACKGROUND", "1");
        environment.put("JBOSS_PIDFILE", pidFile.toString());
        Process launcher = builder.start();
        return new BenchServer(home, launcher, awaitJvm(launcher, pidFile), portOffset);
    }

    int httpPort() {
        return 8080 + portOffset;
    }

    int managementPort() {
        return 9990 + portOffset;
    }

    Path home() {
        return home;
    }

    long pid() {
        return jvm.pid();
    }

    Jcmd jcmd() {
        return new Jcmd(jvm.pid());
    }

    boolean isAlive() {
        return jvm.isAlive();
    }

    Path logFile() {
        return home.resolve("standalone/log/server.log");
    }

    ServerLog log() {
        return ServerLog.read(logFile());
    }

    /** Waits for the deployment scanner's marker: {@code .deployed}, or fails on {@code .failed}. */
    public void awaitDeployed(String warName, Duration timeout) throws IOException {
        Path deployments = home.resolve("standalone/deployments");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(deployments.resolve(warName + ".deployed"))) {
                return;
            }
            Path failed = deployments.resolve(warName + ".failed");
            if (Files.exists(failed)) {
                throw new IllegalStateException(warName + " failed to deploy: " + Files.readString(failed));
            }
            if (!jvm.isAlive()) {
                throw new IllegalStateException("the server exited during boot; see " + home.resolve("console.log"));
            }
            Progress.pause(Duration.ofMillis(100));
        }
        throw new IllegalStateException(warName + " not deployed within " + timeout + "; see " + logFile());
    }

    /** Writes a thread dump next to the log and returns its path. */
    Path dumpThreads(String name) throws IOException {
        Path file = home.resolve("thread-dump-" + name + ".txt");
        Files.writeString(file, jcmd().threadDump(), StandardCharsets.UTF_8);
        return file;
    }

    /** kill -9 of the server JVM alone, as a crash: its child processes are left running, orphaned. */
    public void crash() {
        jvm.destroyForcibly();
        await(jvm, Duration.ofSeconds(10));
    }

    /** SIGTERM to the server JVM (a graceful WildFly shutdown); after 60 s, kills it and its child processes. */
    @Override
    public void close() {
        List<ProcessHandle> children = jvm.descendants().toList();
        jvm.destroy();
        if (!await(jvm, Duration.ofSeconds(60))) {
            Progress.say("server pid " + jvm.pid() + " did not stop within 60 s; killing it");
            jvm.destroyForcibly();
            await(jvm, Duration.ofSeconds(10));
        }
        for (ProcessHandle child : children) {
            if (child.isAlive()) {
                child.destroyForcibly();
            }
        }
        try {
            if (!launcher.waitFor(10, TimeUnit.SECONDS)) {
                launcher.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean await(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /** The java process standalone.sh started, from the PID file it writes. */
    private static ProcessHandle awaitJvm(Process launcher, Path pidFile) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Optional<ProcessHandle> jvm = readPid(pidFile).flatMap(ProcessHandle::of);
            if (jvm.isPresent()) {
                return jvm.get();
            }
            if (!launcher.isAlive()) {
                throw new IllegalStateException("standalone.sh exited with " + launcher.exitValue());
            }
            Progress.pause(Duration.ofMillis(50));
        }
        launcher.destroy();
        throw new IllegalStateException("standalone.sh wrote no PID to " + pidFile + " within 30 s");
    }

    private static Optional<Long> readPid(Path pidFile) throws IOException {
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        String text = Files.readString(pidFile).strip();
        return text.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(text));
    }

    private static void requireFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " is in use: is another benchmark server still running? "
                    + "(the benchmarks use port offsets from " + PORT_OFFSET + ")", e);
        }
    }

    /** Copies the provisioned server, keeping file modes, without its data, log and tmp folders. */
    private static void copyTree(Path from, Path to) throws IOException {
        Path standalone = from.resolve("standalone");
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (dir.getParent() != null && dir.getParent().equals(standalone)
                        && SKIPPED_DIRS.contains(dir.getFileName().toString())) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(to.resolve(from.relativize(dir)));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file)), StandardCopyOption.COPY_ATTRIBUTES,
                        LinkOption.NOFOLLOW_LINKS);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
