package dev.candor.domain.run;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One attempt of the agent to answer a stored user message. */
@Entity
@Table(name = "agent_run")
public class AgentRun {

    /** The UNIQUE constraint on {@code running_thread_id}: at most one RUNNING run per thread, across nodes. */
    public static final String ONE_RUNNING_PER_THREAD = "uq_agent_run_running_thread";

    @Id
    @Column(length = 36)
    private String id;

    @Column(name = "thread_id", nullable = false, length = 36)
    private String threadId;

    @Column(name = "user_message_id", nullable = false, length = 36)
    private String userMessageId;

    @Column(name = "assistant_message_id", length = 36)
    private String assistantMessageId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private RunStatus status;

    @Column(length = 200)
    private String model;

    @Column(name = "finish_reason", length = 64)
    private String finishReason;

    @Column(name = "error_code", length = 64)
    private String errorCode;

    @Column(name = "input_tokens")
    private Integer inputTokens;

    @Column(name = "output_tokens")
    private Integer outputTokens;

    @Column(name = "started_at", nullable = false)
    private Instant startedAt;

    @Column(name = "ended_at")
    private Instant endedAt;

    /** The node executing the run; it renews {@link #leaseUntil} while the run goes on. */
    @Column(name = "owner_node", length = 200)
    private String ownerNode;

    @Column(name = "lease_until")
    private Instant leaseUntil;

    /** The thread's id while the run is RUNNING, null once it ended: what {@link #ONE_RUNNING_PER_THREAD} holds. */
    @Column(name = "running_thread_id", length = 36)
    private String runningThreadId;

    protected AgentRun() {
    }

    public AgentRun(String threadId, String userMessageId, Instant now) {
        this(UUID.randomUUID().toString(), threadId, userMessageId, now);
    }

    /** A new run with an id chosen beforehand (its provider request may start before it is stored). */
    public AgentRun(String id, String threadId, String userMessageId, Instant now) {
        this(id, threadId, userMessageId, now, null, null);
    }

    /** A new run executed by {@code ownerNode}, which holds it until {@code leaseUntil} unless it renews the lease. */
    public AgentRun(String id, String threadId, String userMessageId, Instant now, String ownerNode,
                    Instant leaseUntil) {
        this.id = id;
        this.threadId = threadId;
        this.userMessageId = userMessageId;
        this.status = RunStatus.RUNNING;
        this.runningThreadId = threadId;
        this.startedAt = now;
        this.ownerNode = ownerNode;
        this.leaseUntil = leaseUntil;
    }

    public String ownerNode() {
        return ownerNode;
    }

    public Instant leaseUntil() {
        return leaseUntil;
    }

    public String id() {
        return id;
    }

    public String threadId() {
        return threadId;
    }

    public String userMessageId() {
        return userMessageId;
    }

    public RunStatus status() {
        return status;
    }

    public String assistantMessageId() {
        return assistantMessageId;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public String errorCode() {
        return errorCode;
    }

    public void complete(String messageId, String finish, String modelName, int input, int output, Instant now) {
        this.status = RunStatus.COMPLETED;
        this.runningThreadId = null;
        this.assistantMessageId = messageId;
        this.finishReason = finish;
        this.model = modelName;
        this.inputTokens = input;
        this.outputTokens = output;
        this.endedAt = now;
    }

    public void fail(String code, Instant now) {
        this.status = RunStatus.FAILED;
        this.runningThreadId = null;
        this.errorCode = code;
        this.endedAt = now;
    }

    public void cancel(String partialMessageId, Instant now) {
        this.status = RunStatus.CANCELLED;
        this.runningThreadId = null;
        this.assistantMessageId = partialMessageId;
        this.endedAt = now;
    }
}
