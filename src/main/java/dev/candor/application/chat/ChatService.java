package dev.candor.application.chat;

import dev.candor.application.CandorException;
import dev.candor.application.ErrorCode;
import dev.candor.application.agent.AgentSupervisor;
import dev.candor.domain.run.AgentRun;
import dev.candor.domain.run.RunRepository;
import dev.candor.domain.thread.ChatMessage;
import dev.candor.domain.thread.ChatThread;
import dev.candor.domain.thread.ThreadRepository;
import dev.candor.infrastructure.config.AgentConfig;
import dev.candor.infrastructure.config.CandorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One chat turn: store the user's message (in a new thread when none is given), then start the agent run that answers
 * it. A resent client_message_id stores and runs nothing again. One run per thread at a time: a second message on a
 * busy thread is rejected with THREAD_BUSY.
 */
@ApplicationScoped
public class ChatService {

    /** A run still marked RUNNING after this long was left by a server that stopped; it no longer blocks its thread. */
    private static final Duration ABANDONED_RUN = Duration.ofMinutes(15);
    private static final int LOCK_STRIPES = 64;

    @Inject
    ThreadService threadService;

    @Inject
    ThreadRepository threads;

    @Inject
    RunRepository runs;

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
        synchronized (locks[Math.floorMod(ownerId.hashCode(), LOCK_STRIPES)]) {
            if (clientMessageId != null) {
                Optional<ChatMessage> seen = threads.findByClientMessageId(ownerId, clientMessageId);
                if (seen.isPresent()) {
                    String runId = runs.findByUserMessage(seen.get().id()).map(AgentRun::id).orElse(null);
                    return new TurnResult.Duplicate(clientMessageId, seen.get().id(), seen.get().threadId(), runId);
                }
            }
            ChatThread thread = threadId != null ? threadService.thread(threadId, ownerId)
                    : threadService.openThread(ownerId, content);
            if (!supervisor.claimThread(thread.id()) || runningElsewhere(thread.id())) {
                supervisor.releaseThread(thread.id());
                throw new CandorException(ErrorCode.THREAD_BUSY, "thread " + thread.id() + " is still answering an "
                        + "earlier message; wait for its run to end (or stop it) and send again", true);
            }
            try {
                List<ChatMessage> earlier = threads.messages(thread.id());
                ChatMessage question = threadService.appendUserMessage(thread.id(), content, clientMessageId);
                AgentRun run = runs.start(thread.id(), question.id());
                AgentConfig agent = config.agent();
                bridge.follow(run.id(), connectionId);
                supervisor.start(run.id(), thread.id(), ownerId, question.id(), threadId == null ? thread.title() : null,
                        ConversationMemory.build(agent.systemPrompt(), earlier, content, agent.memoryMessages(),
                                agent.memoryChars()));
                return new TurnResult.Started(run.id(), thread.id());
            } catch (RuntimeException e) {
                supervisor.releaseThread(thread.id());
                throw e;
            }
        }
    }

    private boolean runningElsewhere(String threadId) {
        return runs.findRunning(threadId)
                .filter(run -> run.startedAt().isAfter(Instant.now().minus(ABANDONED_RUN)))
                .isPresent();
    }
}
