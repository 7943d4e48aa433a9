package dev.candor.application.chat;

import dev.candor.application.agent.LlmMessage;
import dev.candor.domain.thread.ChatMessage;
import dev.candor.domain.thread.MessageRole;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Builds the context of a model request: system prompt, the newest earlier messages within a budget, the question. */
final class ConversationMemory {

    private ConversationMemory() {
    }

    static List<LlmMessage> build(String systemPrompt, List<ChatMessage> earlier, String question, int maxMessages,
                                  int maxChars) {
        List<LlmMessage> kept = new ArrayList<>();
        int chars = 0;
        for (int i = earlier.size() - 1; i >= 0 && kept.size() < maxMessages; i--) {
            ChatMessage message = earlier.get(i);
            if (message.content().isEmpty()) {
                continue;
            }
            chars += message.content().length();
            if (chars > maxChars) {
                break;
            }
            kept.add(message.role() == MessageRole.USER ? new LlmMessage.User(message.content())
                    : new LlmMessage.Assistant(message.content(), List.of()));
        }
        Collections.reverse(kept);
        List<LlmMessage> messages = new ArrayList<>();
        messages.add(new LlmMessage.System(systemPrompt));
        messages.addAll(kept);
        messages.add(new LlmMessage.User(question));
        return messages;
    }
}
