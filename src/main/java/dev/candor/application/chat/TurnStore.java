package dev.candor.application.chat;

import dev.candor.application.CandorException;
import dev.candor.application.DatabaseFailures;
import dev.candor.application.ErrorCode;
import dev.candor.domain.run.AgentRun;
import dev.candor.domain.run.RunRepository;
import dev.candor.domain.thread.ChatMessage;
import dev.candor.domain.thread.MessageRole;
import dev.candor.domain.thread.MessageStatus;
import dev.candor.domain.thread.ThreadRepository;
import dev.candor.infrastructure.config.CandorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What a turn starts from, in two steps. {@link #prepare} reads (the owner's thread, whether it is busy, the earlier
 * messages) and chooses the ids of the new thread, message and run, so the run's provider request can start at once;
 * {@link #commit} then stores the thread, the user's message and the run in one transaction, while the provider is
 * being asked. Nothing of the run reaches the client before the commit. The database has the last word across nodes: a
 * second RUNNING run on the thread is refused (THREAD_BUSY) and so is a second message with the owner's
 * client_message_id ({@link ClientMessageIdTaken}), whichever node stored the first.
 */
@ApplicationScoped
@Transactional
public class TurnStore {

    /** A turn ready to start: its ids, whether the thread is new (then {@code title} is set), the earlier messages. */
    public record Turn(String ownerId, String content, String clientMessageId, String threadId, String title,
                       String messageId, String runId, List<ChatMessage> earlier) {

        public boolean newThread() {
            return title != null;
        }
    }

    @Inject
    ThreadRepository threads;

    @Inject
    RunRepository runs;

    @Inject
    CandorConfig config;

    /** The earlier message sent with this client_message_id, if any. */
    public Optional<TurnResult.Duplicate> duplicate(String ownerId, String clientMessageId) {
        return threads.findByClientMessageId(ownerId, clientMessageId).map(seen -> new TurnResult.Duplicate(
                clientMessageId, seen.id(), seen.threadId(),
                runs.findByUserMessage(seen.id()).map(r -> r.id()).orElse(null)));
    }

    /** Checks the thread (THREAD_NOT_FOUND, THREAD_BUSY) and reads the context; a new thread needs no read at all. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Turn prepare(String ownerId, String content, String threadId, String clientMessageId) {
        if (threadId == null) {
            return new Turn(ownerId, content, clientMessageId, UUID.randomUUID().toString(),
                    ThreadService.titleFrom(content), UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                    List.of());
        }
        threads.find(threadId, ownerId).orElseThrow(() -> new CandorException(ErrorCode.THREAD_NOT_FOUND,
                "thread " + threadId + " was not found", false));
        // A run left RUNNING by a node that stopped keeps the thread busy until its lease expires and RunLeases ends
        // it (INTERRUPTED), which frees the thread.
        if (runs.findRunning(threadId).isPresent()) {
            throw ChatService.busy(threadId);
        }
        return new Turn(ownerId, content, clientMessageId, threadId, null, UUID.randomUUID().toString(),
                UUID.randomUUID().toString(), threads.messages(threadId));
    }

    /**
     * Stores the thread (when new), the user's message and the run, in one transaction. Throws THREAD_BUSY when the
     * database refuses the run (another node started one on the thread since {@link #prepare}) and
     * {@link ClientMessageIdTaken} when it refuses the message (another node stored this client_message_id first);
     * either way nothing of the turn is stored.
     */
    public void commit(Turn turn) {
        try {
            store(turn);
        } catch (RuntimeException e) {
            if (turn.clientMessageId() != null && DatabaseFailures.violates(e, ChatMessage.UNIQUE_CLIENT_MESSAGE_ID)) {
                throw new ClientMessageIdTaken(turn.clientMessageId());
            }
            if (!turn.newThread() && DatabaseFailures.violates(e, AgentRun.ONE_RUNNING_PER_THREAD)) {
                throw ChatService.busy(turn.threadId());
            }
            throw e;
        }
    }

    private void store(Turn turn) {
        if (turn.newThread()) {
            threads.startThread(turn.threadId(), turn.ownerId(), turn.title(), turn.messageId(), turn.content(),
                    turn.clientMessageId());
        } else {
            if (threads.find(turn.threadId(), turn.ownerId()).isEmpty()) {
                throw new CandorException(ErrorCode.THREAD_NOT_FOUND, "thread " + turn.threadId() + " was not found",
                        false); // deleted since it was prepared
            }
            threads.append(turn.messageId(), turn.threadId(), MessageRole.USER, turn.content(),
                    MessageStatus.COMPLETE, turn.clientMessageId(), null);
        }
        runs.start(turn.runId(), turn.threadId(), turn.messageId(), config.nodeId(),
                Instant.now().plus(config.agent().lease()));
    }

    /** The owner's client_message_id was stored meanwhile with another message (by another node): a duplicate. */
    static final class ClientMessageIdTaken extends RuntimeException {
        ClientMessageIdTaken(String clientMessageId) {
            super("client_message_id " + clientMessageId + " was stored meanwhile", null, false, false);
        }
    }
}
