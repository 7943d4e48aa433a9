package dev.candor.domain.thread;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One stored message of a thread, in thread order ({@code position}). */
@Entity
@Table(name = "chat_message")
public class ChatMessage {

    /** The UNIQUE constraint on (owner_id, client_message_id): one stored message per client id and owner. */
    public static final String UNIQUE_CLIENT_MESSAGE_ID = "uq_chat_message_client_id";

    @Id
    @Column(length = 36)
    private String id;

    @Column(name = "thread_id", nullable = false, length = 36)
    private String threadId;

    /** The thread's owner (a thread never changes owner), so the database can hold client ids unique per owner. */
    @Column(name = "owner_id", nullable = false, length = 200)
    private String ownerId;

    @Column(nullable = false)
    private int position;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private MessageRole role;

    @Column(nullable = false, length = 1_000_000)
    private String content;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private MessageStatus status;

    @Column(name = "client_message_id", length = 200)
    private String clientMessageId;

    @Column(name = "run_id", length = 36)
    private String runId;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected ChatMessage() {
    }

    public ChatMessage(String threadId, String ownerId, int position, MessageRole role, String content,
                       MessageStatus status, String clientMessageId, String runId, Instant now) {
        this(UUID.randomUUID().toString(), threadId, ownerId, position, role, content, status, clientMessageId, runId,
                now);
    }

    /** A new message with an id chosen beforehand (a run may refer to it before it is stored). */
    public ChatMessage(String id, String threadId, String ownerId, int position, MessageRole role, String content,
                       MessageStatus status, String clientMessageId, String runId, Instant now) {
        this.id = id;
        this.threadId = threadId;
        this.ownerId = ownerId;
        this.position = position;
        this.role = role;
        this.content = content;
        this.status = status;
        this.clientMessageId = clientMessageId;
        this.runId = runId;
        this.createdAt = now;
    }

    public String id() {
        return id;
    }

    public String threadId() {
        return threadId;
    }

    public String ownerId() {
        return ownerId;
    }

    public int position() {
        return position;
    }

    public MessageRole role() {
        return role;
    }

    public String content() {
        return content;
    }

    public MessageStatus status() {
        return status;
    }

    public String clientMessageId() {
        return clientMessageId;
    }

    public String runId() {
        return runId;
    }

    public Instant createdAt() {
        return createdAt;
    }
}
