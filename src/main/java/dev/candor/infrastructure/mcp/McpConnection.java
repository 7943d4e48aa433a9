package dev.candor.infrastructure.mcp;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.exception.ToolArgumentsException;
import dev.langchain4j.exception.ToolExecutionException;
import dev.langchain4j.mcp.client.DefaultMcpClient;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.invocation.InvocationParameters;
import dev.langchain4j.mcp.client.McpCallContext;
import dev.langchain4j.mcp.client.McpClient;
import dev.langchain4j.mcp.client.McpHeadersSupplier;
import dev.langchain4j.mcp.client.transport.McpTransport;
import dev.langchain4j.mcp.client.transport.http.StreamableHttpMcpTransport;
import dev.langchain4j.mcp.client.transport.stdio.StdioMcpTransport;
import dev.langchain4j.service.tool.ToolExecutionResult;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The session with one MCP server. Opened on demand: when there is none, when the stdio process has exited, or after
 * a call could not reach the server. Concurrent callers share one attempt (no lock is held while it connects).
 */
final class McpConnection implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(McpConnection.class.getName());

    /** An open session; {@code broken} once a call could not reach the server. */
    private record Session(McpTransport transport, McpClient client, AtomicReference<Boolean> broken) {
        boolean usable() {
            if (broken.get()) {
                return false;
            }
            try {
                transport.checkHealth(); // stdio: is the process alive (no I/O); http: nothing to check
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        }
    }

    /** Where a call that sends the user's id to the server carries it, for the headers of that one request. */
    private static final String USER = "candor.user-id";

    private final McpServerConfig config;
    private final Function<String, Optional<String>> lookup;
    private final ExecutorService executor;
    private final AtomicReference<CompletableFuture<Session>> session = new AtomicReference<>();

    /** {@code lookup} resolves the {@code ${NAME}} references of env and headers; {@code executor} runs its I/O. */
    McpConnection(McpServerConfig config, Function<String, Optional<String>> lookup, ExecutorService executor) {
        this.config = config;
        this.lookup = lookup;
        this.executor = executor;
    }

    String serverName() {
        return config.name();
    }

    /** The server's tools, connecting first when needed. */
    List<ToolSpecification> listTools() throws InterruptedException {
        return session().client().listTools();
    }

    /**
     * Calls {@code tool} (its name on the server) with the model's arguments; returns its text, or throws with the
     * server's error text (the tool failed) or with a message that says the server could not be reached.
     */
    String call(String tool, String argumentsJson, String userId) throws InterruptedException {
        Session current = session();
        ToolExecutionResult result;
        try {
            ToolExecutionRequest request = ToolExecutionRequest.builder().name(tool).arguments(argumentsJson).build();
            result = config.userHeader().isEmpty() ? current.client().executeTool(request)
                    : current.client().executeTool(request, InvocationContext.builder().timestampNow()
                            .invocationParameters(InvocationParameters.from(USER, userId)).build());
        } catch (ToolExecutionException | ToolArgumentsException e) {
            if (lostConnection(e)) {
                throw unreachable(current, e);
            }
            throw new IllegalStateException(serverText(e), e); // the server's own error text, for the model
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("the call of " + tool + " was stopped");
            }
            throw unreachable(current, e);
        }
        if (result.isError()) {
            throw new IllegalStateException(result.resultText());
        }
        return result.resultText() != null ? result.resultText() : String.valueOf(result.result());
    }

    /** The call failed on the way (connection refused or closed, process exited), not in the server. */
    private static boolean lostConnection(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.io.IOException || cause instanceof java.util.concurrent.CancellationException) {
                return true;
            }
        }
        return false;
    }

    /** LangChain4j wraps the server's error text in a RuntimeException of that text. */
    private static String serverText(RuntimeException e) {
        Throwable cause = e.getCause();
        String text = cause != null && cause.getMessage() != null ? cause.getMessage() : e.getMessage();
        return text != null ? text : "the tool failed without saying why";
    }

    private IllegalStateException unreachable(Session current, RuntimeException e) {
        current.broken().set(true);
        LOG.log(Level.WARNING, "MCP server '" + config.name() + "' failed a tool call; reconnecting at the next one", e);
        return new IllegalStateException("the MCP server '" + config.name() + "' could not be reached; the tool did "
                + "not answer (Candor reconnects at the next call)");
    }

    private Session session() throws InterruptedException {
        while (true) {
            CompletableFuture<Session> current = session.get();
            if (current != null && !current.isDone()) {
                return await(current);
            }
            Session open = current == null || current.isCompletedExceptionally() ? null : current.join();
            if (open != null && open.usable()) {
                return open;
            }
            CompletableFuture<Session> attempt = new CompletableFuture<>();
            if (session.compareAndSet(current, attempt)) {
                if (open != null) {
                    closeQuietly(open);
                }
                try {
                    attempt.complete(open());
                } catch (RuntimeException | Error e) {
                    attempt.completeExceptionally(e);
                }
                return await(attempt);
            }
        }
    }

    private static Session await(CompletableFuture<Session> attempt) throws InterruptedException {
        try {
            return attempt.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    private Session open() {
        String where = "MCP server '" + config.name() + "'";
        McpTransport transport;
        if (config.transport() == McpServerConfig.Transport.STDIO) {
            Map<String, String> env = new LinkedHashMap<>();
            config.env().forEach((key, value) -> env.put(key, McpConfigFile.resolve(value, lookup, where)));
            transport = new StdioMcpTransport.Builder().command(config.command()).environment(env)
                    .executorService(executor).build();
        } else {
            Map<String, String> headers = new LinkedHashMap<>();
            config.headers().forEach((key, value) -> headers.put(key, McpConfigFile.resolve(value, lookup, where)));
            transport = new StreamableHttpMcpTransport.Builder().url(config.url().toString())
                    .customHeaders((McpHeadersSupplier) call -> withUser(headers, call))
                    .timeout(config.connectTimeout()).executor(executor).build();
        }
        Duration callBound = config.callTimeout().orElse(Duration.ofMinutes(10)); // the ToolRunner bounds each call
        try {
            McpClient client = new DefaultMcpClient.Builder().key(config.name()).clientName("candor")
                    .transport(transport).initializationTimeout(config.connectTimeout())
                    .toolExecutionTimeout(callBound).resourcesTimeout(config.connectTimeout())
                    .pingTimeout(config.connectTimeout()).autoHealthCheck(false).build();
            return new Session(transport, client, new AtomicReference<>(false));
        } catch (RuntimeException e) {
            closeQuietly(transport);
            throw new IllegalStateException(where + " could not be reached (" + describe(config) + "): "
                    + rootMessage(e), e);
        }
    }

    /** The configured headers, plus the user's id under {@code user_header} on the calls that carry one. */
    private Map<String, String> withUser(Map<String, String> headers, McpCallContext call) {
        if (config.userHeader().isEmpty() || call == null || call.invocationContext() == null
                || call.invocationContext().invocationParameters() == null
                || !call.invocationContext().invocationParameters().containsKey(USER)) {
            return headers;
        }
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put(config.userHeader().get(), call.invocationContext().invocationParameters().get(USER));
        return all;
    }

    private static String describe(McpServerConfig config) {
        return config.transport() == McpServerConfig.Transport.STDIO ? "stdio, command " + config.command().get(0)
                : "streamable HTTP, " + config.url();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }

    @Override
    public void close() {
        CompletableFuture<Session> current = session.getAndSet(null);
        if (current != null && current.isDone() && !current.isCompletedExceptionally()) {
            closeQuietly(current.join());
        }
    }

    private void closeQuietly(Session open) {
        try {
            open.client().close();
        } catch (Exception e) {
            LOG.log(Level.FINE, "closing MCP server '" + config.name() + "'", e);
        }
    }

    private void closeQuietly(McpTransport transport) {
        try {
            transport.close();
        } catch (Exception e) {
            LOG.log(Level.FINE, "closing the transport of MCP server '" + config.name() + "'", e);
        }
    }
}
