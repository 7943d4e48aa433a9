package dev.candor.application.agent;

import dev.candor.application.CandorException;
import dev.candor.application.ErrorCode;
import dev.candor.application.tool.Tool;
import dev.candor.domain.thread.ChatMessage;
import dev.candor.domain.thread.MessageStatus;
import jakarta.json.spi.JsonProvider;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

/**
 * One agent run: streams the model's answer, runs the tools it asks for, and ends with exactly one of
 * agent_completed (answer stored first), agent_error (nothing invented) or run_cancelled (partial stored, unfinished).
 * Every event is appended to the run's durable log before it is sent.
 */
public final class RunExecution {

    /** Looked up once: every Json.createX() call would search for the provider again. */
    private static final JsonProvider JSON = JsonProvider.provider();

    private static final Logger LOG = Logger.getLogger(RunExecution.class.getName());

    private final RunServices services;
    private final String runId;
    private final String threadId;
    private final String ownerId;
    private final String userMessageId;
    private final String newThreadTitle;
    private final List<LlmMessage> conversation;
    private final Runnable onFinish;
    private final long startNanos = System.nanoTime();
    private final StringBuilder answer = new StringBuilder();

    private long seq;
    private int rounds;
    private int inputTokens;
    private int outputTokens;
    private String model;
    private LlmStream stream;
    private boolean cancelRequested;
    private boolean finished;
    private boolean ended;

    RunExecution(RunServices services, String runId, String threadId, String ownerId, String userMessageId,
                 String newThreadTitle, List<LlmMessage> conversation, Runnable onFinish) {
        this.services = services;
        this.runId = runId;
        this.threadId = threadId;
        this.ownerId = ownerId;
        this.userMessageId = userMessageId;
        this.newThreadTitle = newThreadTitle;
        this.conversation = new ArrayList<>(conversation);
        this.onFinish = onFinish;
        this.model = services.model().modelName();
    }

    public String runId() {
        return runId;
    }

    public String threadId() {
        return threadId;
    }

    public String ownerId() {
        return ownerId;
    }

    void start() {
        if (newThreadTitle != null) {
            emit("thread_created", JSON.createObjectBuilder().add("thread_id", threadId).add("title", newThreadTitle));
        }
        emit("agent_started", JSON.createObjectBuilder().add("agent_name", services.config().name())
                .add("message_id", userMessageId));
        nextRound();
    }

    /** Stops the run: aborts the provider's stream and stores the partial answer as unfinished. */
    boolean cancel() {
        LlmStream current;
        synchronized (this) {
            if (finished || cancelRequested) {
                return false;
            }
            cancelRequested = true;
            current = stream;
        }
        if (current != null) {
            current.cancel();
        }
        finishCancelled();
        return true;
    }

    private void nextRound() {
        rounds++;
        LlmRequest request = new LlmRequest(List.copyOf(conversation), services.tools().all().stream()
                .map(t -> new ToolSpec(t.name(), t.description(), t.parameters())).toList());
        services.model().open(request, new Listener()).whenComplete((opened, error) -> {
            if (error != null) {
                if (!isCancelRequested()) {
                    fail(toFailure(error));
                }
                return;
            }
            boolean cancelNow;
            synchronized (this) {
                stream = opened;
                cancelNow = cancelRequested;
            }
            if (cancelNow) {
                opened.cancel();
            }
        });
    }

    private void runTools(LlmReply reply) {
        conversation.add(new LlmMessage.Assistant(reply.text(), reply.toolCalls()));
        for (ToolCall call : reply.toolCalls()) {
            if (isCancelRequested()) {
                return;
            }
            conversation.add(runTool(call));
        }
        if (isCancelRequested()) {
            return;
        }
        if (rounds >= services.config().maxToolRounds()) {
            fail(new LlmFailure(ErrorCode.LLM_ERROR, "The model asked for tools in " + rounds + " rounds in a row "
                    + "(the limit is " + services.config().maxToolRounds() + "); the run stopped without an answer.",
                    true, null));
            return;
        }
        int results = reply.toolCalls().size();
        emit("agent_thinking", JSON.createObjectBuilder().add("text", "Sending " + results + " tool result"
                + (results == 1 ? "" : "s") + " back to the model"));
        nextRound();
    }

    private LlmMessage.ToolResult runTool(ToolCall call) {
        JsonObject arguments;
        String result;
        boolean isError = false;
        long start = System.nanoTime();
        try {
            arguments = parseArguments(call.argumentsJson());
        } catch (RuntimeException e) {
            arguments = JSON.createObjectBuilder().add("unparsed", call.argumentsJson() == null ? ""
                    : call.argumentsJson()).build();
        }
        emit("tool_executing", JSON.createObjectBuilder().add("call_id", call.id()).add("tool_name", call.name())
                .add("arguments", arguments));
        try {
            Tool tool = services.tools().find(call.name()).orElseThrow(() -> new IllegalArgumentException(
                    "there is no tool named '" + call.name() + "'"));
            JsonObject args = parseArguments(call.argumentsJson());
            result = CompletableFuture.supplyAsync(() -> execute(tool, args), services.executor())
                    .get(services.config().toolTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            isError = true;
            result = "error: the tool did not finish within " + services.config().toolTimeout().toMillis() + " ms";
        } catch (ExecutionException | CompletionException e) {
            isError = true;
            result = "error: " + message(e.getCause() != null ? e.getCause() : e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            isError = true;
            result = "error: interrupted";
        } catch (RuntimeException e) {
            isError = true;
            result = "error: " + message(e);
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        emit("tool_completed", JSON.createObjectBuilder().add("call_id", call.id()).add("tool_name", call.name())
                .add("result", result).add("duration_ms", ms).add("is_error", isError));
        return new LlmMessage.ToolResult(call.id(), call.name(), result, isError);
    }

    private String execute(Tool tool, JsonObject arguments) {
        try {
            return tool.execute(arguments, ownerId);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new CompletionException(e);
        }
    }

    private void complete(String finishReason) {
        synchronized (this) {
            if (finished || cancelRequested) {
                return;
            }
            String content = answer.toString();
            ChatMessage stored;
            try {
                stored = services.threads().appendAnswer(threadId, content, MessageStatus.COMPLETE, runId);
                services.runs().completed(runId, stored.id(), finishReason, model, inputTokens, outputTokens);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "run " + runId + ": the answer could not be stored: " + e);
                failLocked(new LlmFailure(ErrorCode.INTERNAL_ERROR, "The answer could not be stored (" + message(e)
                        + "), so the run ended without it. Try again.", true, e));
                return;
            }
            emit("agent_completed", JSON.createObjectBuilder().add("message_id", stored.id()).add("content", content)
                    .add("finish_reason", finishReason)
                    .add("usage", JSON.createObjectBuilder().add("input_tokens", inputTokens)
                            .add("output_tokens", outputTokens))
                    .add("duration_ms", elapsedMs()).add("model", model));
            end("completed");
        }
    }

    private void fail(LlmFailure failure) {
        synchronized (this) {
            if (finished || cancelRequested) {
                return;
            }
            failLocked(failure);
        }
    }

    private void failLocked(LlmFailure failure) {
        try {
            services.runs().failed(runId, failure.code().name());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "run " + runId + ": could not record its failure: " + e);
        }
        emit("agent_error", JSON.createObjectBuilder().add("error_code", failure.code().name())
                .add("message", failure.getMessage()).add("retryable", failure.retryable()));
        end("failed: " + failure.code());
    }

    private void finishCancelled() {
        synchronized (this) {
            if (finished) {
                return;
            }
            String partial = answer.toString();
            String messageId = null;
            try {
                if (!partial.isEmpty()) {
                    messageId = services.threads().appendAnswer(threadId, partial, MessageStatus.UNFINISHED, runId).id();
                }
                services.runs().cancelled(runId, messageId);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "run " + runId + ": could not store its partial answer: " + e);
            }
            JsonObjectBuilder payload = JSON.createObjectBuilder().add("partial_content", partial);
            payload.add("message_id", messageId == null ? JsonValue.NULL : JSON.createValue(messageId));
            emit("run_cancelled", payload);
            end("cancelled");
        }
    }

    /** Appends the event to the run's log, then sends it. A log that cannot be written stops the run. */
    private synchronized void emit(String type, JsonObjectBuilder payload) {
        if (finished) {
            return;
        }
        AgentEvent event = new AgentEvent(runId, threadId, ++seq, type, payload.build(), Instant.now());
        try {
            services.log().append(event);
        } catch (RuntimeException e) {
            logUnavailable(event, e);
            return;
        }
        services.bridge().publish(event);
    }

    private void logUnavailable(AgentEvent lost, RuntimeException cause) {
        LOG.log(Level.WARNING, "run " + runId + ": cannot append " + lost.type() + " to its event stream: " + cause);
        finished = true;
        LlmStream current = stream;
        if (current != null) {
            current.cancel();
        }
        try {
            services.runs().failed(runId, ErrorCode.SERVICE_UNAVAILABLE.name());
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "could not record the failure of run " + runId, e);
        }
        services.bridge().publish(new AgentEvent(runId, threadId, lost.seq(), "agent_error", JSON.createObjectBuilder()
                .add("error_code", ErrorCode.SERVICE_UNAVAILABLE.name())
                .add("message", "The run was stopped because its events cannot be stored in Redis ("
                        + message(cause) + "); no answer was produced. Try again once Redis is back.")
                .add("retryable", true).build(), Instant.now()));
        end("failed: " + ErrorCode.SERVICE_UNAVAILABLE);
    }

    private void end(String outcome) {
        if (ended) {
            return;
        }
        ended = true;
        finished = true;
        onFinish.run();
        LOG.info(() -> "run " + runId + " on thread " + threadId + " " + outcome + " in " + elapsedMs() + " ms ("
                + answer.length() + " chars, " + rounds + " model turn" + (rounds == 1 ? "" : "s") + ")");
    }

    private synchronized boolean isCancelRequested() {
        return cancelRequested;
    }

    private long elapsedMs() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    private static LlmFailure toFailure(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof LlmFailure failure) {
            return failure;
        }
        if (cause instanceof CircuitBreakerOpenException) {
            return new LlmFailure(ErrorCode.LLM_UNAVAILABLE, "The LLM provider failed repeatedly, so Candor is not "
                    + "calling it for a while; no answer was produced. Try again later.", true, cause);
        }
        if (cause instanceof CandorException candor) {
            return new LlmFailure(candor.code(), candor.getMessage(), candor.retryable(), cause);
        }
        return new LlmFailure(ErrorCode.LLM_ERROR, "The model call failed (" + message(cause)
                + "); no answer was produced.", true, cause);
    }

    private static JsonObject parseArguments(String json) {
        if (json == null || json.isBlank()) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        try (var reader = JSON.createReader(new StringReader(json))) {
            return reader.readObject();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the arguments are not a JSON object: " + json);
        }
    }

    private static String message(Throwable e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** Streamed events of the current model turn. */
    private final class Listener implements LlmStreamListener {

        @Override
        public void onThinking(String text) {
            if (!isCancelRequested()) {
                emit("agent_thinking", JSON.createObjectBuilder().add("text", text));
            }
        }

        @Override
        public void onDelta(String text) {
            synchronized (RunExecution.this) {
                if (finished || cancelRequested) {
                    return;
                }
                answer.append(text);
                emit("agent_delta", JSON.createObjectBuilder().add("text", text));
            }
        }

        @Override
        public void onReply(LlmReply reply) {
            synchronized (RunExecution.this) {
                inputTokens += reply.inputTokens();
                outputTokens += reply.outputTokens();
                model = reply.model();
            }
            if (!reply.toolCalls().isEmpty()) {
                services.executor().execute(() -> runTools(reply));
            } else {
                complete(reply.finishReason());
            }
        }

        @Override
        public void onError(LlmFailure failure) {
            fail(failure);
        }
    }
}
