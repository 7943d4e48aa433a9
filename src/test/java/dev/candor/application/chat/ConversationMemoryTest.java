package dev.candor.application.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.candor.application.agent.LlmMessage;
import dev.candor.domain.thread.ChatMessage;
import dev.candor.domain.thread.MessageRole;
import dev.candor.domain.thread.MessageStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConversationMemoryTest {

    @Test
    void keepsTheNewestEarlierMessagesInOrderBetweenThePromptAndTheQuestion() {
        List<ChatMessage> earlier = List.of(user("one"), assistant("two"), user("three"), assistant("four"));
        List<LlmMessage> messages = ConversationMemory.build("sys", earlier, "five?", 2, 1_000);
        assertEquals(List.of(new LlmMessage.System("sys"), new LlmMessage.User("three"),
                new LlmMessage.Assistant("four", List.of()), new LlmMessage.User("five?")), messages);
    }

    @Test
    void stopsAtTheCharacterBudgetAndSkipsEmptyMessages() {
        List<ChatMessage> earlier = List.of(user("x".repeat(50)), assistant(""), user("y".repeat(30)),
                assistant("z".repeat(30)));
        List<LlmMessage> messages = ConversationMemory.build("sys", earlier, "q", 10, 70);
        assertEquals(List.of(new LlmMessage.System("sys"), new LlmMessage.User("y".repeat(30)),
                new LlmMessage.Assistant("z".repeat(30), List.of()), new LlmMessage.User("q")), messages);
    }

    @Test
    void aNewThreadSendsOnlyThePromptAndTheQuestion() {
        assertEquals(List.of(new LlmMessage.System("sys"), new LlmMessage.User("hi")),
                ConversationMemory.build("sys", List.of(), "hi", 20, 24_000));
    }

    private static ChatMessage user(String text) {
        return new ChatMessage("t", "owner", 0, MessageRole.USER, text, MessageStatus.COMPLETE, null, null,
                Instant.EPOCH);
    }

    private static ChatMessage assistant(String text) {
        return new ChatMessage("t", "owner", 0, MessageRole.ASSISTANT, text, MessageStatus.COMPLETE, null, null,
                Instant.EPOCH);
    }
}
