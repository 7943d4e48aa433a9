package dev.candor.application.chat;

import dev.candor.application.CandorException;
import dev.candor.application.ErrorCode;
import dev.candor.application.agent.AgentSupervisor;
import dev.candor.application.agent.EventBridge;
import dev.candor.application.agent.RunExecution;
import dev.candor.application.agent.RunSpec;
import dev.candor.application.limit.UsageLimits;
import dev.candor.application.tracing.TurnTrace;
import dev.candor.infrastructure.config.AgentConfig;
import dev.candor.infrastructure.config.CandorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * One chat turn: the user's message (in a new thread when none is given) is stored while the agent run that answers it
 * already asks the model, so storing adds nothing to the time to first token; the run's events reach the client only
 * once the message is stored, and if storing fails the run is abandoned before anything of it was sent. A resent
 * client_message_id stores and runs nothing again. One run per thread at a time: a second message on a busy thread is
 * rejected with THREAD_BUSY and not stored. Both hold across nodes: the database refuses the loser of a race, whose run
 * is then abandoned and which gets THREAD_BUSY or the duplicate, as on one node.
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

    @Inject
    UsageLimits limits;

    private final Object[] locks = new Object[LOCK_STRIPES];

    public ChatService() {
        for (int i = 0; i < LOCK_STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    /** {@code turn}'s spans record the storing of the message, and the run it starts ends it. */
    public TurnResult send(String connectionId, String ownerId, String content, String threadId,
                           String clientMessageId, TurnTrace turn) {
        if (clientMessageId == null) {
            return start(connectionId, ownerId, content, threadId, null, turn);
        }
        // Only resends of one client_message_id must not race each other; everything else runs in parallel.
        synchronized (locks[Math.floorMod((ownerId + '\0' + clientMessageId).hashCode(), LOCK_STRIPES)]) {
            Optional<TurnResult.Duplicate> seen = store.duplicate(ownerId, clientMessageId);
            if (seen.isPresent()) {
                return seen.get();
            }
            return start(connectionId, ownerId, content, threadId, clientMessageId, turn);
        }
    }

    static CandorException busy(String threadId) {
        return new CandorException(ErrorCode.THREAD_BUSY, "thread " + threadId + " is still answering an earlier "
                + "message; wait for its run to end (or stop it) and send again", true);
    }

    /**
     * The user's run slot, once the message is within every limit (concurrent runs, then the daily tokens and the
     * message rate, counted last); a refusal leaves nothing claimed or counted, the thread included.
     */
    private UsageLimits.Slot admit(String ownerId, String threadId) {
        UsageLimits.Slot slot = UsageLimits.Slot.NONE;
        try {
            slot = limits.claimRun(ownerId);
            limits.admitMessage(ownerId);
            return slot;
        } catch (RuntimeException e) {
            slot.release();
            if (threadId != null) {
                supervisor.releaseThread(ownerId, threadId);
            }
            throw e;
        }
    }

    private TurnResult start(String connectionId, String ownerId, String content, String threadId,
                             String clientMessageId, TurnTrace trace) {
        if (threadId != null && !supervisor.claimThread(ownerId, threadId)) {
            throw busy(threadId);
        }
        UsageLimits.Slot slot = admit(ownerId, threadId);
        TurnStore.Turn prepared;
        try {
            prepared = trace.step("store_message", () -> store.prepare(ownerId, content, threadId, clientMessageId));
        } catch (RuntimeException e) {
            slot.release();
            if (threadId != null) {
                supervisor.releaseThread(ownerId, threadId);
            }
            throw e;
        }
        TurnStore.Turn turn = prepared;
        if (turn.newThread()) {
            supervisor.claimThread(ownerId, turn.threadId()); // nobody else knows the thread yet
        }
        AgentConfig agent = config.agent();
        bridge.follow(turn.runId(), connectionId);
        RunExecution run = supervisor.start(new RunSpec(turn.runId(), turn.threadId(), ownerId, turn.messageId(),
                turn.title(), ConversationMemory.build(agent.systemPrompt(), turn.earlier(), content,
                        agent.memoryMessages(), agent.memoryChars())), slot, trace);
        trace.started(turn.runId(), turn.threadId());
        try {
            trace.step("commit_message", () -> store.commit(turn));
        } catch (TurnStore.ClientMessageIdTaken taken) {
            run.abandon(); // another node stored this client_message_id first: answer as to any resend
            return store.duplicate(ownerId, clientMessageId).orElseThrow(() -> taken);
        } catch (RuntimeException e) {
            run.abandon();
            throw e;
        }
        run.committed();
        return new TurnResult.Started(turn.runId(), turn.threadId());
    }
}
