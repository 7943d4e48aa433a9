package dev.candor.application.chat;

import dev.candor.application.CandorException;
import dev.candor.application.ErrorCode;
import dev.candor.domain.run.RunRepository;
import dev.candor.domain.thread.ChatMessage;
import dev.candor.domain.thread.MessageRole;
import dev.candor.domain.thread.MessageStatus;
import dev.candor.domain.thread.ThreadRepository;
import dev.candor.infrastructure.config.CandorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What a turn starts from, in two steps. {@link #prepare} reads (the owner's thread, whether it is busy, the earlier
 * messages) and chooses the ids of the new thread, message and run, so the run's provider request can start at once;
 * {@link #commit} then stores the thread, the user's message and the run in one transaction, while the provider is
 * being asked. Nothing of the run reaches the client before the commit.
 */
@ApplicationScoped
@Transactional
public class TurnStore {

    /** A run still marked RUNNING after this long was left by a server that stopped; it no longer blocks its thread. */
    private static final Duration ABANDONED_RUN = Duration.ofMinutes(15);

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
        if (runs.findRunning(threadId).filter(r -> r.startedAt().isAfter(Instant.now().minus(ABANDONED_RUN)))
                .isPresent()) {
            throw ChatService.busy(threadId);
        }
        return new Turn(ownerId, content, clientMessageId, threadId, null, UUID.randomUUID().toString(),
                UUID.randomUUID().toString(), threads.messages(threadId));
    }

    /** Stores the thread (when new), the user's message and the run, in one transaction. */
    public void commit(Turn turn) {
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
}
