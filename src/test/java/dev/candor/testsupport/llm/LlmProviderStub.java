package dev.candor.testsupport.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * A local, test-only LLM provider: one JDK {@link HttpServer} on {@code 127.0.0.1} that speaks the real wire
 * protocols of OpenAI ({@link #openAiBaseUrl()}) and Anthropic ({@link #anthropicBaseUrl()}), so that production
 * LangChain4j clients run unchanged against it.
 *
 * <p>Each chat request (OpenAI {@code POST /v1/chat/completions}, Anthropic {@code POST /anthropic/v1/messages})
 * takes the next {@link Script} from a FIFO queue ({@link #enqueue}), or the {@link #defaultScript(Script) default
 * script} when the queue is empty, and plays it as a stream ({@code "stream": true}) or as one JSON reply. Every
 * provider request is recorded ({@link #requests()}); clients that go away in the middle of a stream are counted
 * ({@link #disconnects()}).
 *
 * <p>Tests running in another JVM (e.g. inside WildFly) drive the same state over HTTP under
 * {@link #controlBaseUrl()}, see {@link LlmStubControl}:
 * {@code POST /_stub/reset}, {@code POST /_stub/models} <code>{"status":200,"delay_ms":0}</code>,
 * {@code POST /_stub/api-key} <code>{"key":"k"}</code>, {@code POST /_stub/scripts} (one {@link ScriptCodec script},
 * enqueued), {@code POST /_stub/default-script}, {@code GET /_stub/requests} (chat requests; {@code ?all=true}
 * for all), {@code GET /_stub/disconnects}.
 *
 * <p>{@link #reset()} ends every response still in flight (their connections are dropped) so that nothing leaks
 * from one test into the next.
 */
public final class LlmProviderStub implements AutoCloseable {

    /** Path prefix of the OpenAI protocol (the OpenAI base URL's path). */
    public static final String OPENAI_PREFIX = "/v1";
    /** Path prefix of the Anthropic protocol (the Anthropic base URL's path). */
    public static final String ANTHROPIC_PREFIX = "/anthropic/v1";
    /** Path prefix of the remote control API. */
    public static final String CONTROL_PREFIX = "/_stub";

    /** The script played when the queue is empty, until {@link #defaultScript(Script)} changes it. */
    public static final Script INITIAL_DEFAULT_SCRIPT = Script.reply("Hello ", "from the ", "stub.");

    /** How long a scripted abort waits after the last event before it drops the connection. */
    static final long ABORT_GRACE_MS = 100;

    private static final String JSON = "application/json";
    private static LlmProviderStub shared;

    private final OpenAiWire openAi = new OpenAiWire();
    private final AnthropicWire anthropic = new AnthropicWire();

    private final HttpServer server;
    private final ExecutorService executor;
    private final URI root;

    private final Queue<Script> queue = new ConcurrentLinkedQueue<>();
    private final List<RecordedRequest> recorded = new CopyOnWriteArrayList<>();
    private final Object signal = new Object();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong generation = new AtomicLong();

    private volatile Script defaultScript = INITIAL_DEFAULT_SCRIPT;
    private volatile int modelsStatus = 200;
    private volatile long modelsDelayMs;
    private volatile String expectedApiKey;
    private volatile boolean closed;
    private int disconnects; // guarded by signal

    private LlmProviderStub(int port) throws IOException {
        AtomicInteger threads = new AtomicInteger();
        executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "llm-stub-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        startAsDaemon(server);
        root = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Starts a new stub on a free port of 127.0.0.1. */
    public static LlmProviderStub start() {
        return start(0);
    }

    /** Starts a new stub on {@code port} of 127.0.0.1 (0: a free one); a stub closed and started again keeps its URL. */
    public static LlmProviderStub start(int port) {
        try {
            return new LlmProviderStub(port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the LLM provider stub", e);
        }
    }

    /** The JVM-wide stub, started on first use and never closed (its threads are daemons). */
    public static synchronized LlmProviderStub shared() {
        if (shared == null || shared.closed) {
            shared = start();
        }
        return shared;
    }

    /**
     * The JDK server's dispatcher thread inherits its daemon flag from the thread that calls {@code start()}; start
     * it from a daemon thread so that a stub nobody closes does not keep the JVM alive.
     */
    private static void startAsDaemon(HttpServer server) {
        Thread starter = new Thread(server::start, "llm-stub-start");
        starter.setDaemon(true);
        starter.start();
        try {
            starter.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the LLM provider stub", e);
        }
    }

    // ---- addresses -----------------------------------------------------------------------------------------------

    public int port() {
        return root.getPort();
    }

    /** {@code http://127.0.0.1:PORT/v1}: the OpenAI client's base URL. */
    public URI openAiBaseUrl() {
        return root.resolve(OPENAI_PREFIX);
    }

    /** {@code http://127.0.0.1:PORT/anthropic/v1}: the Anthropic client's base URL. */
    public URI anthropicBaseUrl() {
        return root.resolve(ANTHROPIC_PREFIX);
    }

    /** {@code http://127.0.0.1:PORT/_stub}: the base of the remote control API ({@link LlmStubControl}). */
    public URI controlBaseUrl() {
        return root.resolve(CONTROL_PREFIX);
    }

    // ---- scripting -----------------------------------------------------------------------------------------------

    /** Queues scripts; each chat request takes the next one. */
    public LlmProviderStub enqueue(Script... scripts) {
        for (Script script : scripts) {
            queue.add(Objects.requireNonNull(script, "script"));
        }
        return this;
    }

    /** Sets the script played when the queue is empty. */
    public LlmProviderStub defaultScript(Script script) {
        defaultScript = Objects.requireNonNull(script, "script");
        return this;
    }

    public Script defaultScript() {
        return defaultScript;
    }

    /** How many enqueued scripts are still waiting for a request. */
    public int queuedScripts() {
        return queue.size();
    }

    /** HTTP status of both models listings (non-200: the provider's error JSON). */
    public LlmProviderStub modelsStatus(int status) {
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("HTTP status expected: " + status);
        }
        modelsStatus = status;
        return this;
    }

    /** Delay before both models listings answer. */
    public LlmProviderStub modelsDelayMs(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("millis must be >= 0");
        }
        modelsDelayMs = millis;
        return this;
    }

    /**
     * Requires this API key ({@code Authorization: Bearer <key>} for OpenAI, {@code x-api-key} for Anthropic) on
     * every provider request, else 401; {@code null} accepts anything. A rejected chat request consumes no script.
     */
    public LlmProviderStub expectApiKey(String key) {
        expectedApiKey = key;
        return this;
    }

    // ---- recordings ----------------------------------------------------------------------------------------------

    /** Every provider request received since the last reset/clear, in arrival order. */
    public List<RecordedRequest> requests() {
        return List.copyOf(recorded);
    }

    /** The chat requests (OpenAI completions and Anthropic messages) among {@link #requests()}. */
    public List<RecordedRequest> chatRequests() {
        return recorded.stream().filter(RecordedRequest::isChat).toList();
    }

    /** Waits until at least {@code count} chat requests have been recorded. */
    public boolean awaitChatRequests(int count, Duration timeout) {
        return await(() -> chatRequests().size() >= count, timeout);
    }

    public void clearRecorded() {
        recorded.clear();
    }

    /** Streams whose client went away (a write failed) before the stub finished them. */
    public int disconnects() {
        synchronized (signal) {
            return disconnects;
        }
    }

    /** Waits until at least one disconnect has been seen (since the last reset). */
    public boolean awaitDisconnect(Duration timeout) {
        return awaitDisconnects(1, timeout);
    }

    /** Waits until at least {@code count} disconnects have been seen (since the last reset). */
    public boolean awaitDisconnects(int count, Duration timeout) {
        return await(() -> disconnects >= count, timeout);
    }

    private boolean await(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (signal) {
            while (!condition.getAsBoolean()) {
                long remainingMs = (deadline - System.nanoTime()) / 1_000_000;
                if (remainingMs <= 0) {
                    return false;
                }
                try {
                    signal.wait(remainingMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    private void signalChange(Runnable change) {
        synchronized (signal) {
            change.run();
            signal.notifyAll();
        }
    }

    // ---- lifecycle -----------------------------------------------------------------------------------------------

    /**
     * Back to a fresh stub: empty queue, initial default script, models 200 without delay, any API key, no
     * recordings, zero disconnects. Responses still in flight (stalls, slow streams) are dropped.
     */
    public void reset() {
        generation.incrementAndGet();
        queue.clear();
        defaultScript = INITIAL_DEFAULT_SCRIPT;
        modelsStatus = 200;
        modelsDelayMs = 0;
        expectedApiKey = null;
        recorded.clear();
        signalChange(() -> disconnects = 0);
    }

    /** Stops the server; responses still in flight (stalls included) end. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        executor.shutdownNow();
        server.stop(0);
        signalChange(() -> {});
    }

    // ---- HTTP ----------------------------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        try {
            route(exchange);
        } catch (RuntimeException e) {
            if (exchange.getResponseCode() != -1) {
                throw e; // too late for a status: the JDK server drops the connection
            }
            send(exchange, 500, JSON, StubJson.write(StubJson.object().put("error", "stub failure: " + e)));
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);

        if (path.equals(CONTROL_PREFIX) || path.startsWith(CONTROL_PREFIX + "/")) {
            handleControl(exchange, method, path.substring(CONTROL_PREFIX.length()), body);
            return;
        }

        RecordedRequest request = RecordedRequest.of(method, path, exchange.getRequestHeaders(), body);
        signalChange(() -> recorded.add(request));

        switch (request.kind()) {
            case OPENAI_CHAT -> chat(exchange, openAi, request);
            case ANTHROPIC_CHAT -> chat(exchange, anthropic, request);
            case OPENAI_MODELS -> models(exchange, openAi, request);
            case ANTHROPIC_MODELS -> models(exchange, anthropic, request);
            default -> {
                ProviderWire wire = path.startsWith(ANTHROPIC_PREFIX + "/") ? anthropic : openAi;
                send(exchange, 404, JSON, wire.errorJson(404, "Unknown endpoint " + method + " " + path));
            }
        }
    }

    private void models(HttpExchange exchange, ProviderWire wire, RecordedRequest request) throws IOException {
        if (!wire.authorized(request, expectedApiKey)) {
            send(exchange, 401, JSON, wire.errorJson(401, "Invalid API key"));
            return;
        }
        SseWriter.sleep(modelsDelayMs, wantedFrom(generation.get()));
        int status = modelsStatus;
        if (status == 200) {
            send(exchange, 200, JSON, wire.modelsJson());
        } else {
            send(exchange, status, JSON, wire.errorJson(status, "Models listing failed with HTTP " + status));
        }
    }

    private void chat(HttpExchange exchange, ProviderWire wire, RecordedRequest request) throws IOException {
        long myGeneration = generation.get();
        if (!wire.authorized(request, expectedApiKey)) {
            send(exchange, 401, JSON, wire.errorJson(401, "Invalid API key"));
            return;
        }
        if (request.json() == null || !request.json().isObject()) {
            send(exchange, 400, JSON, wire.errorJson(400, "The request body is not a JSON object"));
            return;
        }
        Script script = queue.poll();
        if (script == null) {
            script = defaultScript;
        }

        Script.HttpError error = script.httpErrorStep();
        if (error != null) {
            if (error.retryAfterSeconds() != null) {
                exchange.getResponseHeaders().set("Retry-After", String.valueOf(error.retryAfterSeconds()));
            }
            send(exchange, error.status(), JSON, wire.errorJson(error.status(), error.body()));
            return;
        }

        ProviderWire.Turn turn = turn(wire, request, script);
        BooleanSupplier wanted = wantedFrom(myGeneration);
        if (request.streaming()) {
            stream(exchange, wire, turn, script, wanted, myGeneration);
        } else {
            reply(exchange, wire, turn, script, wanted);
        }
    }

    private ProviderWire.Turn turn(ProviderWire wire, RecordedRequest request, Script script) {
        JsonNode model = request.json().get("model");
        Script.Usage usage = script.usage();
        int inputTokens = usage != null ? usage.inputTokens() : Math.max(1, request.body().length() / 4);
        int outputTokens = usage != null
                ? usage.outputTokens()
                : script.textPieces().size() + script.toolCalls().size();
        return new ProviderWire.Turn(
                sequence.incrementAndGet(),
                model != null && model.isTextual() ? model.asText() : wire.defaultModel(),
                Instant.now().getEpochSecond(),
                inputTokens,
                outputTokens,
                wire.finishReason(script),
                request.json());
    }

    private BooleanSupplier wantedFrom(long myGeneration) {
        return () -> !closed && generation.get() == myGeneration;
    }

    /** Plays a script as server-sent events. */
    private void stream(
            HttpExchange exchange,
            ProviderWire wire,
            ProviderWire.Turn turn,
            Script script,
            BooleanSupplier wanted,
            long myGeneration)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        SseWriter out = new SseWriter(exchange.getResponseBody(), wanted);
        ProviderWire.Stream stream = wire.stream(turn, out);
        try {
            stream.start();
            boolean contentSent = false;
            for (Script.Step step : script.steps()) {
                if (step instanceof Script.Text || step instanceof Script.ToolCall) {
                    if (contentSent && script.everyMs() > 0) {
                        out.pause(script.everyMs());
                    }
                    contentSent = true;
                }
                if (step instanceof Script.Text text) {
                    stream.text(text.piece());
                } else if (step instanceof Script.ToolCall call) {
                    stream.toolCall(call);
                } else if (step instanceof Script.Delay delay) {
                    out.pause(delay.millis());
                } else if (step instanceof Script.Abort) {
                    // The JDK HttpClient throws away body bytes it has received but not yet handed to the reader
                    // once it sees the connection fail: give the events already sent time to be read.
                    SseWriter.sleep(ABORT_GRACE_MS, wanted);
                    throw new SseWriter.Dropped("scripted abort");
                } else if (step instanceof Script.StreamError streamError) {
                    stream.error(streamError.message());
                    exchange.close();
                    return;
                } else if (step instanceof Script.Stall) {
                    out.stall();
                }
            }
            stream.finish();
            exchange.close();
        } catch (SseWriter.ClientGone e) {
            if (!closed && generation.get() == myGeneration) {
                signalChange(() -> disconnects++);
            }
            throw e; // the JDK server closes the connection of a handler that throws
        }
        // SseWriter.Dropped propagates too: the connection closes without the stream's end (an abrupt abort)
    }

    /** Plays a script as one non-streaming JSON reply. */
    private void reply(
            HttpExchange exchange, ProviderWire wire, ProviderWire.Turn turn, Script script, BooleanSupplier wanted)
            throws IOException {
        boolean contentSeen = false;
        for (Script.Step step : script.steps()) {
            if (step instanceof Script.Text || step instanceof Script.ToolCall) {
                if (contentSeen && script.everyMs() > 0) {
                    SseWriter.sleep(script.everyMs(), wanted);
                }
                contentSeen = true;
            } else if (step instanceof Script.Delay delay) {
                SseWriter.sleep(delay.millis(), wanted);
            } else if (step instanceof Script.Abort) {
                throw new SseWriter.Dropped("scripted abort");
            } else if (step instanceof Script.StreamError streamError) {
                send(exchange, 500, JSON, wire.errorJson(500, streamError.message()));
                return;
            } else if (step instanceof Script.Stall) {
                while (true) {
                    SseWriter.sleep(SseWriter.HEARTBEAT_MS, wanted); // ends with Dropped on reset/close
                }
            }
        }
        send(exchange, 200, JSON, wire.completionJson(turn, script));
    }

    // ---- remote control ------------------------------------------------------------------------------------------

    private void handleControl(HttpExchange exchange, String method, String path, String body) throws IOException {
        try {
            switch (method + " " + path) {
                case "POST /reset" -> {
                    reset();
                    send(exchange, 204, null, null);
                }
                case "POST /models" -> {
                    JsonNode json = StubJson.parse(body.isBlank() ? "{}" : body);
                    modelsStatus(json.path("status").asInt(200));
                    modelsDelayMs(json.path("delay_ms").asLong(0));
                    send(exchange, 204, null, null);
                }
                case "POST /api-key" -> {
                    JsonNode key = StubJson.parse(body.isBlank() ? "{}" : body).get("key");
                    expectApiKey(key == null || key.isNull() ? null : key.asText());
                    send(exchange, 204, null, null);
                }
                case "POST /scripts" -> {
                    enqueue(ScriptCodec.fromJson(body));
                    send(exchange, 200, JSON, StubJson.write(StubJson.object().put("queued", queuedScripts())));
                }
                case "POST /default-script" -> {
                    defaultScript(ScriptCodec.fromJson(body));
                    send(exchange, 204, null, null);
                }
                case "GET /requests" -> {
                    boolean all = "all=true".equals(exchange.getRequestURI().getQuery());
                    send(exchange, 200, JSON, RecordedRequest.toJson(all ? requests() : chatRequests()));
                }
                case "GET /disconnects" -> send(exchange, 200, JSON, String.valueOf(disconnects()));
                default -> send(exchange, 404, JSON, controlError("unknown control request " + method + " " + path));
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            send(exchange, 400, JSON, controlError(e.getMessage()));
        }
    }

    private static String controlError(String message) {
        return StubJson.write(StubJson.object().put("error", String.valueOf(message)));
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        try {
            if (body == null) {
                exchange.sendResponseHeaders(status, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } finally {
            exchange.close();
        }
    }

    @Override
    public String toString() {
        return "LlmProviderStub[" + root + ", queued=" + queue.size() + "]";
    }
}
