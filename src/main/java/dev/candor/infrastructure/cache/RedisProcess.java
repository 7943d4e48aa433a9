package dev.candor.infrastructure.cache;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real redis-server process on loopback, for development and tests: Debian's binary if installed, else the one the
 * build provisions into the server ({@code $JBOSS_HOME/candor-redis}, taken from the embedded-redis artifact).
 * Started without a data directory it persists nothing; with one ({@link #startIn}) it keeps an append-only file and a
 * pid file there, so its data survives restarts and one left running by a killed server is found and stopped.
 */
public final class RedisProcess implements AutoCloseable {

    /** The pid file a redis-server started in a data directory writes there. */
    public static final String PID_FILE = "redis-server.pid";

    private final Process process;
    private final Path executable;
    private final int port;

    private RedisProcess(Process process, Path executable, int port) {
        this.process = process;
        this.executable = executable;
        this.port = port;
    }

    /** Starts redis-server on {@code port} (0 picks a free one), persisting nothing, and waits until it answers. */
    public static RedisProcess start(Path executable, int port, Duration startTimeout) throws IOException {
        return launch(executable, List.of(), port, startTimeout, List.of("--save", "", "--appendonly", "no"));
    }

    /**
     * Starts redis-server on {@code port}, persisting nothing, with {@code options} after the usual ones (replication,
     * cluster or sentinel settings) and {@code configFile} first when given (a sentinel needs one it may rewrite). For
     * tests of Sentinel and Cluster topologies.
     */
    public static RedisProcess startWith(Path executable, Optional<Path> configFile, int port, List<String> options,
                                         Duration startTimeout) throws IOException {
        List<String> more = new ArrayList<>(List.of("--save", "", "--appendonly", "no"));
        more.addAll(options);
        return launch(executable, configFile.map(f -> List.of(f.toAbsolutePath().toString())).orElse(List.of()), port,
                startTimeout, more);
    }

    /**
     * Starts redis-server on a free port with its append-only file and pid file in {@code dataDir}. A redis-server
     * still running from a previous start in that folder (its server was killed) is stopped first, so the folder
     * never has two owners and no process is leaked.
     */
    public static RedisProcess startIn(Path executable, Path dataDir, Duration startTimeout) throws IOException {
        return startIn(executable, dataDir, 0, startTimeout);
    }

    /** As {@link #startIn(Path, Path, Duration)}, on {@code port} (0 picks a free one): a restart keeps its address. */
    public static RedisProcess startIn(Path executable, Path dataDir, int port, Duration startTimeout)
            throws IOException {
        Files.createDirectories(dataDir);
        stopLeftOver(dataDir.resolve(PID_FILE), executable);
        return launch(executable, List.of(), port, startTimeout, List.of("--dir", dataDir.toAbsolutePath().toString(),
                "--save", "", "--appendonly", "yes", "--pidfile", dataDir.resolve(PID_FILE).toAbsolutePath().toString()));
    }

    /** The pid of a redis-server left running by a killed server, if its pid file names a live redis-server. */
    static Optional<ProcessHandle> leftOver(Path pidFile, Path executable) throws IOException {
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        String text = Files.readString(pidFile, StandardCharsets.US_ASCII).strip();
        try {
            String name = executable.getFileName().toString();
            return ProcessHandle.of(Long.parseLong(text)).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().command().map(c -> c.endsWith(name) || c.contains("redis-server"))
                            .orElse(false));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void stopLeftOver(Path pidFile, Path executable) throws IOException {
        Optional<ProcessHandle> orphan = leftOver(pidFile, executable);
        if (orphan.isPresent()) {
            ProcessHandle process = orphan.get();
            process.destroy();
            try {
                process.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                process.destroyForcibly();
            }
        }
        Files.deleteIfExists(pidFile);
    }

    private static RedisProcess launch(Path executable, List<String> leading, int port, Duration startTimeout,
                                       List<String> persistence) throws IOException {
        int chosen = port == 0 ? freePort() : port;
        File exe = executable.toFile();
        if (!exe.canExecute() && !exe.setExecutable(true)) {
            throw new IOException("cannot make " + executable + " executable");
        }
        List<String> command = new ArrayList<>(List.of(executable.toString()));
        command.addAll(leading);
        command.addAll(List.of("--port", Integer.toString(chosen), "--bind", "127.0.0.1", "--protected-mode", "yes"));
        command.addAll(persistence);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        RedisProcess redis = new RedisProcess(process, executable, chosen);
        redis.awaitPong(startTimeout);
        return redis;
    }

    /** The first redis-server found: the configured one, Debian's, or the one provisioned under {@code jbossHome}. */
    public static Optional<Path> findExecutable(Optional<String> configured, Optional<Path> jbossHome) {
        if (configured.isPresent()) {
            return Optional.of(Path.of(configured.get()));
        }
        Path debian = Path.of("/usr/bin/redis-server");
        if (Files.isExecutable(debian)) {
            return Optional.of(debian);
        }
        return jbossHome.map(home -> home.resolve("candor-redis")).filter(Files::isDirectory).flatMap(dir -> {
            try (Stream<Path> files = Files.list(dir)) {
                return files.filter(f -> f.getFileName().toString().startsWith("redis-server")).findFirst();
            } catch (IOException e) {
                return Optional.empty();
            }
        });
    }

    /** The process id, e.g. for a test that kills it. */
    public long pid() {
        return process.pid();
    }

    public int port() {
        return port;
    }

    public Path executable() {
        return executable;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void awaitPong(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(executable + " exited with code " + process.exitValue() + " on port " + port);
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                socket.setSoTimeout(500);
                OutputStream out = socket.getOutputStream();
                out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                byte[] reply = socket.getInputStream().readNBytes(7);
                if (new String(reply, StandardCharsets.US_ASCII).startsWith("+PONG")) {
                    return;
                }
            } catch (IOException e) {
                last = e;
            }
            sleep(20);
        }
        close();
        throw new IOException("redis-server on port " + port + " did not answer PING within " + timeout.toMillis()
                + " ms", last);
    }

    private static void sleep(long ms) throws IOException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for redis-server", e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
