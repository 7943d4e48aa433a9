package dev.candor.application.chat;

import dev.candor.application.CandorException;
import dev.candor.application.ErrorCode;
import dev.candor.domain.run.AgentRun;
import dev.candor.domain.run.RunRepository;
import dev.candor.domain.thread.ChatMessage;
import dev.candor.domain.thread.ChatThread;
import dev.candor.domain.thread.MessageRole;
import dev.candor.domain.thread.MessageStatus;
import dev.candor.domain.thread.ThreadRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Stores what a turn starts from, in one transaction: the thread (new or the owner's), the earlier messages, the
 * user's message and the run that will answer it. The run starts only after this commits.
 */
@ApplicationScoped
@Transactional
public class TurnStore {

    /** A run still marked RUNNING after this long was left by a server that stopped; it no longer blocks its thread. */
    private static final Duration ABANDONED_RUN = Duration.ofMinutes(15);

    /** A stored turn: the thread (and whether it is new), the context before the question, the question, its run. */
    public record Turn(ChatThread thread, boolean newThread, List<ChatMessage> earlier, ChatMessage question,
                       AgentRun run) {
    }

    @Inject
    ThreadRepository threads;

    @Inject
    RunRepository runs;

    /** The earlier message sent with this client_message_id, if any. */
    public Optional<TurnResult.Duplicate> duplicate(String ownerId, String clientMessageId) {
        return threads.findByClientMessageId(ownerId, clientMessageId).map(seen -> new TurnResult.Duplicate(
                clientMessageId, seen.id(), seen.threadId(),
                runs.findByUserMessage(seen.id()).map(AgentRun::id).orElse(null)));
    }

    public Turn store(String ownerId, String content, String threadId, String clientMessageId) {
        ChatThread thread;
        List<ChatMessage> earlier;
        if (threadId == null) {
            thread = threads.create(ownerId, ThreadService.titleFrom(content));
            earlier = List.of();
        } else {
            thread = threads.find(threadId, ownerId).orElseThrow(() -> new CandorException(
                    ErrorCode.THREAD_NOT_FOUND, "thread " + threadId + " was not found", false));
            if (runs.findRunning(threadId).filter(r -> r.startedAt().isAfter(Instant.now().minus(ABANDONED_RUN)))
                    .isPresent()) {
                throw ChatService.busy(threadId);
            }
            earlier = threads.messages(threadId);
        }
        ChatMessage question = threads.append(thread.id(), MessageRole.USER, content, MessageStatus.COMPLETE,
                clientMessageId, null);
        return new Turn(thread, threadId == null, earlier, question, runs.start(thread.id(), question.id()));
    }
}
