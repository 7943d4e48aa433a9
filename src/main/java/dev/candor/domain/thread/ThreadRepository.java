package dev.candor.domain.thread;

import java.util.List;
import java.util.Optional;

/** Port for storing threads and their messages. Every read is scoped to the owner. */
public interface ThreadRepository {

    ChatThread create(String ownerId, String title);

    /** The thread, only if {@code ownerId} owns it. */
    Optional<ChatThread> find(String threadId, String ownerId);

    /** Appends a message at the end of the thread and touches the thread. */
    ChatMessage append(String threadId, MessageRole role, String content, MessageStatus status, String clientMessageId,
                       String runId);

    List<ChatMessage> messages(String threadId);

    /** Runs one real query per stored type, proving the tables exist and match the mapping. */
    void verifyStorage();
}
