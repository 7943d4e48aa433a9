package dev.candor.application.agent;

import dev.candor.application.tracing.TurnTrace;

/** Ends a model call's span as the model's turn ends (its usage, or how it failed), then hands each event on. */
final class TracedListener implements LlmStreamListener {

    private final TurnTrace.ModelCall call;
    private final LlmStreamListener next;

    TracedListener(TurnTrace.ModelCall call, LlmStreamListener next) {
        this.call = call;
        this.next = next;
    }

    @Override
    public void onThinking(String text) {
        next.onThinking(text);
    }

    @Override
    public void onDelta(String text) {
        next.onDelta(text);
    }

    @Override
    public void onReply(LlmReply reply) {
        call.replied(reply.model(), reply.inputTokens(), reply.outputTokens(), reply.finishReason());
        next.onReply(reply);
    }

    @Override
    public void onError(Throwable failure) {
        call.fail(failure instanceof LlmFailure llm ? llm.code().name() : failure.getClass().getName());
        next.onError(failure);
    }
}
