package dev.candor.testsupport.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.anthropic.AnthropicModelCatalog;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.catalog.ModelDescription;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiModelCatalog;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.model.output.FinishReason;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Proves the stub against the real LangChain4j 1.19 OpenAI and Anthropic clients. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LlmProviderStubTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final ToolSpecification CURRENT_TIME = ToolSpecification.builder()
            .name("current_time")
            .description("The current time in a zone")
            .parameters(JsonObjectSchema.builder().addStringProperty("zone").required("zone").build())
            .build();

    private static LlmProviderStub stub;
    private static HttpClient http;

    @BeforeAll
    static void startStub() {
        stub = LlmProviderStub.start();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void closeStub() {
        stub.close();
    }

    @BeforeEach
    void resetStub() {
        stub.reset();
    }

    // ---- OpenAI ------------------------------------------------------------------------------------------------

    @Test
    void openAiStreamsTextPieceByPieceWithUsage() throws Exception {
        Script script = Script.empty().texts(List.of("Hel", "lo, ", "world")).everyMs(80).usage(12, 3);
        stub.enqueue(script);

        Recorder recorder = new Recorder();
        openAi("k").chat("Say hello", recorder);
        ChatResponse response = recorder.awaitComplete();

        assertEquals(List.of("Hel", "lo, ", "world"), recorder.partials);
        assertEquals("Hello, world", String.join("", recorder.partials));
        assertEquals(script.fullText(), response.aiMessage().text());
        assertEquals(12, response.tokenUsage().inputTokenCount());
        assertEquals(3, response.tokenUsage().outputTokenCount());
        assertEquals(FinishReason.STOP, response.finishReason());
        assertEquals("stub-model", response.metadata().modelName());
        long spreadMs = (recorder.partialNanos.get(2) - recorder.partialNanos.get(0)) / 1_000_000;
        assertTrue(spreadMs >= 120, "pieces must arrive one by one, 80 ms apart, not buffered: " + spreadMs + " ms");

        RecordedRequest request = single(stub.chatRequests());
        assertEquals(RecordedRequest.Kind.OPENAI_CHAT, request.kind());
        assertEquals("/v1/chat/completions", request.path());
        assertEquals("Bearer k", request.header("Authorization"));
        assertTrue(request.streaming());
        assertTrue(request.json().path("stream_options").path("include_usage").asBoolean());
        assertEquals("stub-model", request.json().path("model").asText());
        assertEquals("Say hello", request.json().path("messages").path(0).path("content").asText());
    }

    @Test
    void openAiToolCallBecomesToolExecutionRequest() throws Exception {
        stub.enqueue(Script.empty()
                .text("Checking.")
                .toolCall("call_42", "current_time", "{\"zone\":\"UTC\"}", 3));

        Recorder recorder = new Recorder();
        openAi("k").chat(chatWithTool("What time is it?"), recorder);
        ChatResponse response = recorder.awaitComplete();

        ToolExecutionRequest call = single(response.aiMessage().toolExecutionRequests());
        assertEquals("call_42", call.id());
        assertEquals("current_time", call.name());
        assertEquals("{\"zone\":\"UTC\"}", call.arguments());
        assertEquals(FinishReason.TOOL_EXECUTION, response.finishReason());
        assertEquals("Checking.", response.aiMessage().text());
        assertEquals(3, recorder.partialToolCalls.size(), "arguments arrive in the scripted number of chunks");
        assertEquals("current_time", single(recorder.completeToolCalls).toolExecutionRequest().name());
        assertEquals("current_time", single(stub.chatRequests()).json()
                .path("tools").path(0).path("function").path("name").asText());
    }

    @Test
    void openAiNonStreamingReplyCarriesTextAndToolCalls() {
        stub.enqueue(Script.reply("Sure, ", "one moment.").toolCall("call_7", "current_time", "{\"zone\":\"CET\"}"));

        ChatResponse response = OpenAiChatModel.builder()
                .baseUrl(stub.openAiBaseUrl().toString())
                .apiKey("k")
                .modelName("stub-model")
                .maxRetries(0)
                .build()
                .chat(chatWithTool("time?"));

        assertEquals("Sure, one moment.", response.aiMessage().text());
        ToolExecutionRequest call = single(response.aiMessage().toolExecutionRequests());
        assertEquals("call_7", call.id());
        assertEquals("{\"zone\":\"CET\"}", call.arguments());
        assertEquals(FinishReason.TOOL_EXECUTION, response.finishReason());
        assertFalse(single(stub.chatRequests()).streaming());
    }

    @Test
    void openAiHttpErrorReachesOnError() throws Exception {
        stub.enqueue(Script.empty().httpError(500, "The stub broke", null));

        Recorder recorder = new Recorder();
        openAi("k").chat("hi", recorder);
        Throwable error = recorder.awaitError();

        assertInstanceOf(InternalServerException.class, error);
        assertEquals(500, httpStatus(error));
        assertTrue(error.getMessage().contains("The stub broke"), error.getMessage());
        assertFalse(recorder.complete.isDone());
    }

    @Test
    void openAiStreamErrorAndAbortReachOnError() throws Exception {
        stub.enqueue(Script.reply("partial").streamError("model overloaded"));
        Recorder streamError = new Recorder();
        openAi("k").chat("one", streamError);
        assertTrue(streamError.awaitError().getMessage().contains("model overloaded"));
        assertEquals(List.of("partial"), streamError.partials);

        stub.enqueue(Script.reply("cut ", "short").abortConnection());
        Recorder aborted = new Recorder();
        openAi("k").chat("two", aborted);
        assertInstanceOf(IOException.class, rootCause(aborted.awaitError()));
        assertEquals(List.of("cut ", "short"), aborted.partials);
        assertEquals(0, stub.disconnects(), "a scripted abort is not a client disconnect");
    }

    @Test
    void wrongApiKeyIsRejectedWithoutConsumingTheScript() throws Exception {
        stub.expectApiKey("secret").enqueue(Script.reply("for the right key"));

        Recorder rejected = new Recorder();
        openAi("wrong").chat("hi", rejected);
        assertInstanceOf(AuthenticationException.class, rejected.awaitError());
        assertEquals(1, stub.queuedScripts());

        Recorder accepted = new Recorder();
        openAi("secret").chat("hi", accepted);
        assertEquals("for the right key", accepted.awaitComplete().aiMessage().text());
    }

    // ---- Anthropic ---------------------------------------------------------------------------------------------

    @Test
    void anthropicStreamsTextThenToolCall() throws Exception {
        stub.enqueue(Script.reply("Let me ", "look.")
                .toolCall("toolu_01", "current_time", "{\"zone\":\"Europe/Paris\"}", 4)
                .usage(20, 5));

        Recorder recorder = new Recorder();
        anthropic("ak").chat(chatWithTool("time in Paris?"), recorder);
        ChatResponse response = recorder.awaitComplete();

        assertEquals(List.of("Let me ", "look."), recorder.partials);
        assertEquals("Let me look.", response.aiMessage().text());
        ToolExecutionRequest call = single(response.aiMessage().toolExecutionRequests());
        assertEquals("toolu_01", call.id());
        assertEquals("current_time", call.name());
        assertEquals("{\"zone\":\"Europe/Paris\"}", call.arguments());
        assertEquals(FinishReason.TOOL_EXECUTION, response.finishReason());
        assertEquals(20, response.tokenUsage().inputTokenCount());
        assertEquals(5, response.tokenUsage().outputTokenCount());
        assertEquals(4, recorder.partialToolCalls.size());

        RecordedRequest request = single(stub.chatRequests());
        assertEquals(RecordedRequest.Kind.ANTHROPIC_CHAT, request.kind());
        assertEquals("ak", request.header("x-api-key"));
        assertNotNull(request.header("anthropic-version"));
        assertTrue(request.streaming());
    }

    @Test
    void anthropicPlainTextEndsTurnAndErrorsReachOnError() throws Exception {
        stub.enqueue(Script.reply("Bonjour"));
        Recorder text = new Recorder();
        anthropic("ak").chat("hi", text);
        ChatResponse response = text.awaitComplete();
        assertEquals("Bonjour", response.aiMessage().text());
        assertEquals(FinishReason.STOP, response.finishReason());

        stub.enqueue(Script.empty().httpError(429, "Slow down", 3));
        Recorder limited = new Recorder();
        anthropic("ak").chat("hi", limited);
        assertInstanceOf(RateLimitException.class, limited.awaitError());

        stub.enqueue(Script.reply("half").streamError("overloaded right now"));
        Recorder streamError = new Recorder();
        anthropic("ak").chat("hi", streamError);
        assertTrue(streamError.awaitError().getMessage().contains("overloaded right now"));
        assertFalse(streamError.complete.isDone());
    }

    @Test
    void anthropicNonStreamingReply() {
        stub.enqueue(Script.reply("Hi ", "there"));
        ChatResponse response = AnthropicChatModel.builder()
                .baseUrl(stub.anthropicBaseUrl().toString())
                .apiKey("ak")
                .modelName("stub-claude")
                .maxRetries(0)
                .build()
                .chat(UserMessage.from("hi"));
        assertEquals("Hi there", response.aiMessage().text());
        assertEquals(FinishReason.STOP, response.finishReason());
    }

    @Test
    void httpErrorSendsRetryAfterAndProviderErrorJson() throws Exception {
        stub.enqueue(Script.empty().httpError(429, "Slow down", 7));
        HttpResponse<String> response = http.send(
                post(stub.anthropicBaseUrl() + "/messages", "{\"stream\":true}"), HttpResponse.BodyHandlers.ofString());

        assertEquals(429, response.statusCode());
        assertEquals("7", response.headers().firstValue("retry-after").orElse(null));
        assertEquals("rate_limit_error", StubJson.parse(response.body()).path("error").path("type").asText());
        assertEquals("Slow down", StubJson.parse(response.body()).path("error").path("message").asText());
    }

    // ---- disconnects -------------------------------------------------------------------------------------------

    @Test
    void clientCancellingAStalledStreamIsSeenAsDisconnect() throws Exception {
        stub.enqueue(Script.reply("first").stall());
        AtomicInteger disconnectsBeforeCancel = new AtomicInteger(-1);
        Recorder recorder = new Recorder();
        recorder.onPartial = context -> {
            disconnectsBeforeCancel.set(stub.disconnects());
            context.streamingHandle().cancel();
        };

        openAi("k").chat("hang please", recorder);

        assertTrue(stub.awaitDisconnect(WAIT), "the stub must notice the cancelled stream");
        assertEquals(0, disconnectsBeforeCancel.get());
        assertEquals(1, stub.disconnects());
        assertEquals(List.of("first"), recorder.partials);
    }

    @Test
    void resetDropsStalledStreamsWithoutCountingDisconnects() throws Exception {
        stub.enqueue(Script.reply("x").stall());
        HttpResponse<InputStream> response = http.send(
                post(stub.openAiBaseUrl() + "/chat/completions", "{\"stream\":true}"),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());

        CompletableFuture<Throwable> ended = CompletableFuture.supplyAsync(() -> {
            try (InputStream body = response.body()) {
                body.readAllBytes();
                return null;
            } catch (IOException e) {
                return e;
            }
        });
        Thread.sleep(150); // the stream is stalled and alive
        assertFalse(ended.isDone());

        stub.reset();

        assertInstanceOf(IOException.class, ended.get(5, TimeUnit.SECONDS), "the stream ends abruptly");
        assertEquals(0, stub.disconnects());
    }

    @Test
    void manyConcurrentStreamsRunInParallel() throws Exception {
        int streams = 220;
        stub.defaultScript(Script.empty().delayMs(400).tokens(3));
        StreamingChatModel model = openAi("k");

        long start = System.nanoTime();
        List<Recorder> recorders = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            Recorder recorder = new Recorder();
            recorders.add(recorder);
            model.chat("stream " + i, recorder);
        }
        for (Recorder recorder : recorders) {
            assertEquals("t0 t1 t2 ", recorder.awaitComplete(Duration.ofSeconds(20)).aiMessage().text());
        }
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertEquals(streams, stub.chatRequests().size());
        assertTrue(elapsedMs < 10_000, streams + " streams of 400 ms must overlap, took " + elapsedMs + " ms");
        assertEquals(0, stub.disconnects());
    }

    // ---- models ------------------------------------------------------------------------------------------------

    @Test
    void modelsListingsFollowStatusDelayAndApiKey() throws Exception {
        assertEquals(List.of("stub-model"), OpenAiModelCatalog.builder()
                .baseUrl(stub.openAiBaseUrl().toString()).apiKey("k").build()
                .listModels().stream().map(ModelDescription::name).toList());
        assertEquals(List.of("stub-claude"), AnthropicModelCatalog.builder()
                .baseUrl(stub.anthropicBaseUrl().toString()).apiKey("ak").build()
                .listModels().stream().map(ModelDescription::name).toList());

        stub.modelsStatus(503);
        RuntimeException failed = assertThrows(RuntimeException.class, () -> OpenAiModelCatalog.builder()
                .baseUrl(stub.openAiBaseUrl().toString()).apiKey("k").build().listModels());
        assertEquals(503, httpStatus(failed));

        stub.modelsStatus(200).modelsDelayMs(300).expectApiKey("ak");
        long start = System.nanoTime();
        HttpResponse<String> slow = http.send(
                HttpRequest.newBuilder(URI.create(stub.anthropicBaseUrl() + "/models"))
                        .header("x-api-key", "ak")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, slow.statusCode());
        assertTrue((System.nanoTime() - start) / 1_000_000 >= 280, "the models delay applies");

        HttpResponse<String> unauthorized = http.send(
                HttpRequest.newBuilder(URI.create(stub.anthropicBaseUrl() + "/models")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, unauthorized.statusCode());
        assertEquals(5, stub.requests().size());
        assertEquals(0, stub.chatRequests().size());
    }

    // ---- remote control ----------------------------------------------------------------------------------------

    @Test
    void remoteControlDrivesTheStub() throws Exception {
        LlmStubControl control = new LlmStubControl(stub.controlBaseUrl());
        control.enqueue(Script.reply("Re", "mote").delayMs(10).toolCall("c1", "current_time", "{\"zone\":\"UTC\"}"));
        control.setDefault(Script.reply("default answer"));

        Recorder first = new Recorder();
        openAi("k").chat(chatWithTool("first question"), first);
        ChatResponse scripted = first.awaitComplete();
        assertEquals("Remote", scripted.aiMessage().text());
        assertEquals("c1", single(scripted.aiMessage().toolExecutionRequests()).id());

        Recorder second = new Recorder();
        anthropic("ak").chat("second question", second);
        assertEquals("default answer", second.awaitComplete().aiMessage().text());

        List<String> bodies = control.requestBodies();
        assertEquals(2, bodies.size());
        assertTrue(bodies.get(0).contains("first question"));
        assertTrue(bodies.get(1).contains("second question"));
        assertEquals("/anthropic/v1/messages", control.chatRequests().get(1).path());
        assertEquals(0, control.disconnects());

        control.models(500, 0);
        RuntimeException failed = assertThrows(RuntimeException.class, () -> AnthropicModelCatalog.builder()
                .baseUrl(stub.anthropicBaseUrl().toString()).apiKey("ak").build().listModels());
        assertEquals(500, httpStatus(failed));

        control.expectApiKey("other");
        Recorder rejected = new Recorder();
        openAi("k").chat("hi", rejected);
        assertInstanceOf(AuthenticationException.class, rejected.awaitError());

        control.reset();
        assertEquals(List.of(), control.requestBodies());
        assertEquals(1, OpenAiModelCatalog.builder()
                .baseUrl(stub.openAiBaseUrl().toString()).apiKey("k").build().listModels().size());
        Recorder afterReset = new Recorder();
        openAi("k").chat("hi", afterReset);
        assertEquals(LlmProviderStub.INITIAL_DEFAULT_SCRIPT.fullText(), afterReset.awaitComplete().aiMessage().text());
    }

    @Test
    void remoteControlRejectsMalformedScripts() throws Exception {
        HttpResponse<String> response = http.send(
                post(stub.controlBaseUrl() + "/scripts", "[{\"sing\":\"la\"}]"), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, response.statusCode());
        assertTrue(response.body().contains("unknown script step 'sing'"), response.body());

        HttpResponse<String> broken = http.send(
                post(stub.controlBaseUrl() + "/scripts", "[{\"stall\":true},{\"text\":\"after the stall\"}]"),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, broken.statusCode());
        assertTrue(broken.body().contains("nothing can follow"), broken.body());

        LlmStubControl control = new LlmStubControl(stub.controlBaseUrl());
        IllegalStateException rejected = assertThrows(IllegalStateException.class,
                () -> control.models(99, 0));
        assertTrue(rejected.getMessage().contains("400"), rejected.getMessage());
        assertEquals(0, stub.queuedScripts());
    }

    // ---- scripts -----------------------------------------------------------------------------------------------

    @Test
    void scriptJsonRoundTripsAndReadsTheDocumentedFormat() {
        Script everything = Script.empty()
                .text("Hel").delayMs(20).text("lo").tokens(2)
                .toolCall("c1", "current_time", "{\"zone\":\"UTC\"}", 3)
                .everyMs(5).finishReason("length").usage(9, 4)
                .streamError("boom");
        assertEquals(everything, Script.fromJson(everything.toJson()));
        Script limited = Script.empty().httpError(429, "slow", 1);
        assertEquals(limited, Script.fromJson(limited.toJson()));

        Script parsed = Script.fromJson("[{\"text\":\"Hel\"},{\"delay_ms\":20},{\"text\":\"lo\"},"
                + "{\"tool_call\":{\"id\":\"c1\",\"name\":\"current_time\",\"arguments\":{\"zone\":\"UTC\"}}},"
                + "{\"abort\":true}]");
        assertEquals(Script.empty().text("Hel").delayMs(20).text("lo")
                .toolCall("c1", "current_time", "{\"zone\":\"UTC\"}").abortConnection(), parsed);
        assertEquals(List.of("t0 ", "t1 "), Script.fromJson("[{\"tokens\":2}]").textPieces());
    }

    @Test
    void scriptRulesAreEnforced() {
        assertThrows(IllegalStateException.class, () -> Script.reply("a").httpError(500, "x", null));
        assertThrows(IllegalStateException.class, () -> Script.empty().httpError(500, "x", null).text("a"));
        assertThrows(IllegalStateException.class, () -> Script.reply("a").stall().text("b"));
        assertThrows(IllegalStateException.class, () -> Script.reply("a").abortConnection().stall());
        assertThrows(IllegalArgumentException.class, () -> Script.empty().httpError(200, "x", null));
        assertEquals(List.of("{\"zo", "ne\":", "\"UTC", "\"}"),
                new Script.ToolCall("c", "n", "{\"zone\":\"UTC\"}", 4).argumentChunks());
        Script base = Script.reply("a");
        base.text("b");
        assertEquals("a", base.fullText(), "scripts are immutable");
    }

    @Test
    void sharedStubIsOneLiveInstance() throws Exception {
        LlmProviderStub shared = LlmProviderStub.shared();
        assertSame(shared, LlmProviderStub.shared());
        HttpResponse<String> models = http.send(
                HttpRequest.newBuilder(URI.create(shared.openAiBaseUrl() + "/models")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, models.statusCode());
        assertEquals("stub-model", StubJson.parse(models.body()).path("data").path(0).path("id").asText());
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private static OpenAiStreamingChatModel openAi(String apiKey) {
        return OpenAiStreamingChatModel.builder()
                .baseUrl(stub.openAiBaseUrl().toString())
                .apiKey(apiKey)
                .modelName("stub-model")
                .build();
    }

    private static AnthropicStreamingChatModel anthropic(String apiKey) {
        return AnthropicStreamingChatModel.builder()
                .baseUrl(stub.anthropicBaseUrl().toString())
                .apiKey(apiKey)
                .modelName("stub-claude")
                .build();
    }

    private static ChatRequest chatWithTool(String question) {
        return ChatRequest.builder()
                .messages(UserMessage.from(question))
                .toolSpecifications(CURRENT_TIME)
                .build();
    }

    private static HttpRequest post(String url, String body) {
        return HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private static <T> T single(List<T> list) {
        assertEquals(1, list.size(), "exactly one element expected: " + list);
        return list.get(0);
    }

    private static Throwable rootCause(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static int httpStatus(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpException httpException) {
                return httpException.statusCode();
            }
        }
        fail("no HttpException in " + error);
        return -1;
    }

    /** Collects every callback of a LangChain4j streaming chat. */
    private static final class Recorder implements StreamingChatResponseHandler {
        final List<String> partials = new CopyOnWriteArrayList<>();
        final List<Long> partialNanos = new CopyOnWriteArrayList<>();
        final List<PartialToolCall> partialToolCalls = new CopyOnWriteArrayList<>();
        final List<CompleteToolCall> completeToolCalls = new CopyOnWriteArrayList<>();
        final CompletableFuture<ChatResponse> complete = new CompletableFuture<>();
        final CompletableFuture<Throwable> error = new CompletableFuture<>();
        volatile Consumer<PartialResponseContext> onPartial = context -> {};

        @Override
        public void onPartialResponse(PartialResponse partialResponse, PartialResponseContext context) {
            partialNanos.add(System.nanoTime());
            partials.add(partialResponse.text());
            onPartial.accept(context);
        }

        @Override
        public void onPartialToolCall(PartialToolCall partialToolCall) {
            partialToolCalls.add(partialToolCall);
        }

        @Override
        public void onCompleteToolCall(CompleteToolCall completeToolCall) {
            completeToolCalls.add(completeToolCall);
        }

        @Override
        public void onCompleteResponse(ChatResponse response) {
            complete.complete(response);
        }

        @Override
        public void onError(Throwable throwable) {
            error.complete(throwable);
        }

        ChatResponse awaitComplete() throws Exception {
            return awaitComplete(WAIT);
        }

        ChatResponse awaitComplete(Duration timeout) throws Exception {
            awaitAny(timeout);
            if (error.isDone()) {
                throw new AssertionError("unexpected onError", error.get());
            }
            return complete.get();
        }

        Throwable awaitError() throws Exception {
            awaitAny(WAIT);
            assertTrue(error.isDone(), "onError expected, got onCompleteResponse " + complete.getNow(null));
            return error.get();
        }

        private void awaitAny(Duration timeout) throws InterruptedException, ExecutionException {
            try {
                CompletableFuture.anyOf(complete, error).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                fail("neither onCompleteResponse nor onError within " + timeout);
            }
        }
    }
}
