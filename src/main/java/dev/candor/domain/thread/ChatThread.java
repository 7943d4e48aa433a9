package dev.candor.domain.thread;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;

/** A conversation owned by one user. */
@Entity
@Table(name = "chat_thread")
public class ChatThread {

    public static final int MAX_TITLE = 200;

    @Id
    @Column(length = 36)
    private String id;

    @Column(name = "owner_id", nullable = false, length = 200)
    private String ownerId;

    @Column(nullable = false, length = MAX_TITLE)
    private String title;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Version
    private long version;

    protected ChatThread() {
    }

    public ChatThread(String ownerId, String title, Instant now) {
        this(UUID.randomUUID().toString(), ownerId, title, now);
    }

    /** A new thread with an id chosen beforehand (a run may refer to it before it is stored). */
    public ChatThread(String id, String ownerId, String title, Instant now) {
        this.id = id;
        this.ownerId = ownerId;
        this.title = title;
        this.createdAt = now;
        this.updatedAt = now;
    }

    public String id() {
        return id;
    }

    public String ownerId() {
        return ownerId;
    }

    public String title() {
        return title;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    public void rename(String newTitle, Instant now) {
        this.title = newTitle;
        this.updatedAt = now;
    }

    public void touch(Instant now) {
        this.updatedAt = now;
    }
}
