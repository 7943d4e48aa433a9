package dev.candor.application.chat;

import dev.candor.application.CandorException;
import dev.candor.application.ErrorCode;
import dev.candor.application.agent.AgentSupervisor;
import dev.candor.application.agent.EventBridge;
import dev.candor.application.agent.RunSpec;
import dev.candor.infrastructure.config.AgentConfig;
import dev.candor.infrastructure.config.CandorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * One chat turn: store the user's message (in a new thread when none is given), then start the agent run that answers
 * it. A resent client_message_id stores and runs nothing again. One run per thread at a time: a second message on a
 * busy thread is rejected with THREAD_BUSY and not stored.
 */
@ApplicationScoped
public class ChatService {

    private static final int LOCK_STRIPES = 64;

    @Inject
    TurnStore store;

    @Inject
    AgentSupervisor supervisor;

    @Inject
    EventBridge bridge;

    @Inject
    CandorConfig config;

    private final Object[] locks = new Object[LOCK_STRIPES];

    public ChatService() {
        for (int i = 0; i < LOCK_STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    public TurnResult send(String connectionId, String ownerId, String content, String threadId,
                           String clientMessageId) {
        if (clientMessageId == null) {
            return start(connectionId, ownerId, content, threadId, null);
        }
        // Only resends of one client_message_id must not race each other; everything else runs in parallel.
        synchronized (locks[Math.floorMod((ownerId + '\0' + clientMessageId).hashCode(), LOCK_STRIPES)]) {
            Optional<TurnResult.Duplicate> seen = store.duplicate(ownerId, clientMessageId);
            if (seen.isPresent()) {
                return seen.get();
            }
            return start(connectionId, ownerId, content, threadId, clientMessageId);
        }
    }

    static CandorException busy(String threadId) {
        return new CandorException(ErrorCode.THREAD_BUSY, "thread " + threadId + " is still answering an earlier "
                + "message; wait for its run to end (or stop it) and send again", true);
    }

    private TurnResult start(String connectionId, String ownerId, String content, String threadId,
                             String clientMessageId) {
        if (threadId != null && !supervisor.claimThread(threadId)) {
            throw busy(threadId);
        }
        TurnStore.Turn turn;
        try {
            turn = store.store(ownerId, content, threadId, clientMessageId);
        } catch (RuntimeException e) {
            if (threadId != null) {
                supervisor.releaseThread(threadId);
            }
            throw e;
        }
        String thread = turn.thread().id();
        if (turn.newThread()) {
            supervisor.claimThread(thread); // nobody else knows the thread yet
        }
        AgentConfig agent = config.agent();
        bridge.follow(turn.run().id(), connectionId);
        supervisor.start(new RunSpec(turn.run().id(), thread, ownerId, turn.question().id(),
                turn.newThread() ? turn.thread().title() : null,
                ConversationMemory.build(agent.systemPrompt(), turn.earlier(), content, agent.memoryMessages(),
                        agent.memoryChars())));
        return new TurnResult.Started(turn.run().id(), thread);
    }
}
