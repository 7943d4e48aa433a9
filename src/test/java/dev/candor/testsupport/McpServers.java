package dev.candor.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/**
 * The real MCP server of the tests, {@code @modelcontextprotocol/server-everything}, as the build installs it
 * (src/test/scripts/it-mcp.sh, linked as target/mcp-servers): its program, an HTTP instance the test starts, and
 * configuration files for Candor.
 */
public final class McpServers {

    private McpServers() {
    }

    /** The {@code mcp-server-everything} program (its arguments: {@code stdio} or {@code streamableHttp}). */
    public static String everything() {
        Path home = Path.of(System.getProperty("candor.test.mcp.home", "target/mcp-servers")).toAbsolutePath();
        Path bin = home.resolve("node_modules/.bin/mcp-server-everything");
        if (!Files.isExecutable(bin)) {
            throw new IllegalStateException(bin + " is missing: run the build's pre-integration-test phase, which "
                    + "installs it (src/test/scripts/it-mcp.sh)");
        }
        return bin.toString();
    }

    /** Starts the server over streamable HTTP on {@code port} ({@code /mcp}) and waits until it accepts connections. */
    public static Process startHttp(int port) {
        ProcessBuilder builder = new ProcessBuilder(everything(), "streamableHttp").redirectErrorStream(true)
                .redirectOutput(Path.of("target", "mcp-http-" + port + ".log").toFile());
        builder.environment().put("PORT", Integer.toString(port));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!Eventually.within(Duration.ofSeconds(20), () -> accepts(port) || !process.isAlive()) || !accepts(port)) {
            process.destroyForcibly();
            throw new IllegalStateException("the MCP server did not listen on port " + port + " (see target/mcp-http-"
                    + port + ".log)");
        }
        return process;
    }

    public static void stop(Process process) {
        if (process != null) {
            process.destroy();
            Eventually.within(Duration.ofSeconds(5), () -> !process.isAlive());
            process.destroyForcibly();
        }
    }

    /** Writes {@code json} to a file under target/ and returns its absolute path, for {@code candor.mcp.config}. */
    public static String configFile(String json) {
        Path file = Path.of("target", "mcp-config-" + UUID.randomUUID() + ".json").toAbsolutePath();
        try {
            Files.writeString(file, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file.toString();
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
