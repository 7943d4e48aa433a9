package dev.candor.application.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.List;
import java.util.function.Supplier;

/**
 * The spans of one chat turn: {@code user_message} from the frame to the run's terminal event, with children for
 * storing the message, each model call ({@code chat <model>}, GenAI semantic conventions) and each tool call
 * ({@code execute_tool <name>}). Children name their parent explicitly, since a run goes on on managed threads and the
 * HTTP client's threads where no context is current. Never a message's text, a tool's arguments or its result.
 */
public final class TurnTrace extends Step {

    static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
    static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
    static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("gen_ai.system");
    static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
    static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
    static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
    static final AttributeKey<List<String>> FINISH_REASONS = AttributeKey.stringArrayKey(
            "gen_ai.response.finish_reasons");
    static final AttributeKey<Long> MAX_TOKENS = AttributeKey.longKey("gen_ai.request.max_tokens");
    static final AttributeKey<String> TOOL_NAME = AttributeKey.stringKey("gen_ai.tool.name");
    static final AttributeKey<String> TOOL_CALL_ID = AttributeKey.stringKey("gen_ai.tool.call.id");
    static final AttributeKey<String> RUN_ID = AttributeKey.stringKey("candor.run.id");
    static final AttributeKey<String> THREAD_ID = AttributeKey.stringKey("candor.thread.id");
    static final AttributeKey<String> TERMINAL_TYPE = AttributeKey.stringKey("candor.terminal.type");
    static final AttributeKey<String> ERROR_CODE = AttributeKey.stringKey("candor.error.code");

    private static final TurnTrace NONE = new TurnTrace(OpenTelemetry.noop().getTracer("candor"), Context.root());

    private final Tracer tracer;

    TurnTrace(Tracer tracer, Context parent) {
        super(tracer.spanBuilder("user_message").setSpanKind(SpanKind.SERVER).setParent(parent).startSpan(), parent);
        this.tracer = tracer;
    }

    /** A turn that records nothing. */
    public static TurnTrace none() {
        return NONE;
    }

    /** Runs {@code work} (storing the turn) in a child span {@code name}, failed when it throws. */
    public <T> T step(String name, Supplier<T> work) {
        Step step = new Step(child(name, SpanKind.INTERNAL).startSpan(), context());
        try (TraceScope ignored = step.activate()) {
            T result = work.get();
            step.end();
            return result;
        } catch (RuntimeException | Error e) {
            step.fail(typeOf(e));
            throw e;
        }
    }

    /** As {@link #step(String, Supplier)}, for work without a result. */
    public void step(String name, Runnable work) {
        step(name, () -> {
            work.run();
            return null;
        });
    }

    /** The turn became run {@code runId} on thread {@code threadId}. */
    public void started(String runId, String threadId) {
        span.setAttribute(RUN_ID, runId);
        span.setAttribute(THREAD_ID, threadId);
    }

    /** A model call to {@code provider}'s {@code model}, asked for at most {@code maxTokens} (null: not bounded). */
    public ModelCall modelCall(String provider, String model, Integer maxTokens) {
        var builder = child("chat " + model, SpanKind.CLIENT)
                .setAttribute(OPERATION, "chat")
                .setAttribute(PROVIDER, provider)
                .setAttribute(SYSTEM, provider)
                .setAttribute(REQUEST_MODEL, model);
        if (maxTokens != null) {
            builder.setAttribute(MAX_TOKENS, (long) maxTokens);
        }
        return new ModelCall(builder.startSpan(), context());
    }

    /** Tool {@code name} runs for call {@code callId}. */
    public Step toolCall(String name, String callId) {
        return new Step(child("execute_tool " + name, SpanKind.INTERNAL)
                .setAttribute(OPERATION, "execute_tool")
                .setAttribute(TOOL_NAME, name)
                .setAttribute(TOOL_CALL_ID, callId).startSpan(), context());
    }

    /**
     * The run sent its terminal event {@code type}, with {@code errorCode} when it is an error (else null): an event
     * on the turn's span, which ends with it.
     */
    public void ended(String type, String errorCode) {
        Attributes attributes = errorCode == null ? Attributes.of(TERMINAL_TYPE, type)
                : Attributes.of(TERMINAL_TYPE, type, ERROR_CODE, errorCode);
        span.addEvent(type, attributes);
        if (errorCode == null) {
            end();
        } else {
            fail(errorCode);
        }
    }

    private io.opentelemetry.api.trace.SpanBuilder child(String name, SpanKind kind) {
        return tracer.spanBuilder(name).setSpanKind(kind).setParent(context());
    }

    /** One model call: ends with the provider's usage, or failed. */
    public static final class ModelCall extends Step {

        ModelCall(Span span, Context parent) {
            super(span, parent);
        }

        /** The provider answered: the model it names (null: not said), its token counts and why it stopped. */
        public void replied(String responseModel, int inputTokens, int outputTokens, String finishReason) {
            if (responseModel != null) {
                span.setAttribute(RESPONSE_MODEL, responseModel);
            }
            span.setAttribute(INPUT_TOKENS, (long) inputTokens);
            span.setAttribute(OUTPUT_TOKENS, (long) outputTokens);
            if (finishReason != null) {
                span.setAttribute(FINISH_REASONS, List.of(finishReason));
            }
            end();
        }
    }
}
