package dev.candor.infrastructure.llm;

import dev.candor.application.agent.LlmReply;
import dev.candor.application.agent.LlmStreamListener;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;

/** LangChain4j's callbacks for one attempt of a {@link StreamingTurn}; events of a superseded attempt are ignored. */
final class TurnHandler implements StreamingChatResponseHandler {

    private final StreamingTurn turn;
    private final HttpAbort source;
    private final LlmStreamListener listener;
    private final String configuredModel;

    TurnHandler(StreamingTurn turn, HttpAbort source, LlmStreamListener listener, String configuredModel) {
        this.turn = turn;
        this.source = source;
        this.listener = listener;
        this.configuredModel = configuredModel;
    }

    @Override
    public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
        String text = partial.text();
        if (turn.accept(source) && text != null && !text.isEmpty()) {
            turn.delivered(text.length());
            listener.onDelta(StreamingTurn.clean(text));
        }
    }

    @Override
    public void onPartialThinking(PartialThinking thinking) {
        if (turn.accept(source) && thinking.text() != null && !thinking.text().isEmpty()) {
            listener.onThinking(StreamingTurn.clean(thinking.text()));
        }
    }

    @Override
    public void onPartialToolCall(PartialToolCall toolCall) {
        turn.accept(source);
    }

    @Override
    public void onCompleteResponse(ChatResponse response) {
        // After an OpenAI stream error LangChain4j may still report a completion: accept ignores it then.
        if (!turn.accept(source) || !turn.finish(source)) {
            return;
        }
        LlmReply reply;
        try {
            reply = LangChainMapping.toReply(response, configuredModel);
        } catch (RuntimeException e) {
            listener.onError(e);
            return;
        }
        listener.onReply(new LlmReply(StreamingTurn.clean(reply.text()), reply.toolCalls(), reply.finishReason(),
                reply.inputTokens(), reply.outputTokens(), reply.model()));
    }

    @Override
    public void onError(Throwable error) {
        turn.failed(source, error);
    }
}
