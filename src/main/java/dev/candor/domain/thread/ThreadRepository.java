package dev.candor.domain.thread;

import java.util.List;
import java.util.Optional;

/** Port for storing threads and their messages. Every read is scoped to the owner. */
public interface ThreadRepository {

    ChatThread create(String ownerId, String title);

    /** Creates a thread with an id chosen beforehand. */
    ChatThread create(String id, String ownerId, String title);

    /**
     * Creates a thread with its first message, the user's, all ids chosen beforehand: no read is needed, since nobody
     * else can know the thread yet.
     */
    ChatMessage startThread(String threadId, String ownerId, String title, String messageId, String content,
                            String clientMessageId);

    /** The thread, only if {@code ownerId} owns it. */
    Optional<ChatThread> find(String threadId, String ownerId);

    /**
     * Appends a message at the end of the thread and touches the thread, at once: a client_message_id the owner already
     * used is refused here ({@link ChatMessage#UNIQUE_CLIENT_MESSAGE_ID}), as it is by {@link #startThread}.
     */
    ChatMessage append(String threadId, MessageRole role, String content, MessageStatus status, String clientMessageId,
                       String runId);

    /** {@link #append} with a message id chosen beforehand. */
    ChatMessage append(String messageId, String threadId, MessageRole role, String content, MessageStatus status,
                       String clientMessageId, String runId);

    List<ChatMessage> messages(String threadId);

    /** The owner's message sent with this client_message_id, if any. */
    Optional<ChatMessage> findByClientMessageId(String ownerId, String clientMessageId);

    /** The owner's threads, most recently updated first. */
    List<ChatThread> list(String ownerId, int offset, int limit);

    long count(String ownerId);

    /** Renames the owner's thread; false when it is not the owner's. */
    boolean rename(String threadId, String ownerId, String title);

    /** Deletes the owner's thread with its messages and runs; false when it is not the owner's. */
    boolean delete(String threadId, String ownerId);

    /** The owner's messages containing {@code text} (case-insensitive), newest first. Never other users' messages. */
    List<MessageHit> search(String ownerId, String text, int limit);

    /** Runs one real query per stored type, proving the tables exist and match the mapping. */
    void verifyStorage();
}
