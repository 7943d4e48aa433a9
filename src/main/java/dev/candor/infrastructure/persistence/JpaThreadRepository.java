package dev.candor.infrastructure.persistence;

import dev.candor.domain.run.AgentRun;
import dev.candor.domain.thread.ChatMessage;
import dev.candor.domain.thread.ChatThread;
import dev.candor.domain.thread.MessageHit;
import dev.candor.domain.thread.MessageRole;
import dev.candor.domain.thread.MessageStatus;
import dev.candor.domain.thread.ThreadRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** JPA implementation of {@link ThreadRepository}. Each method is one transaction. */
@ApplicationScoped
@Transactional
public class JpaThreadRepository implements ThreadRepository {

    @PersistenceContext(unitName = "candor")
    EntityManager em;

    @Override
    public ChatThread create(String ownerId, String title) {
        return create(UUID.randomUUID().toString(), ownerId, title);
    }

    @Override
    public ChatThread create(String id, String ownerId, String title) {
        ChatThread thread = new ChatThread(id, ownerId, title, Instant.now());
        em.persist(thread);
        return thread;
    }

    @Override
    public ChatMessage startThread(String threadId, String ownerId, String title, String messageId, String content,
                                   String clientMessageId) {
        Instant now = Instant.now();
        em.persist(new ChatThread(threadId, ownerId, title, now));
        ChatMessage message = new ChatMessage(messageId, threadId, ownerId, 0, MessageRole.USER, content,
                MessageStatus.COMPLETE, clientMessageId, null, now);
        em.persist(message);
        em.flush(); // a refused client_message_id is raised here, where the caller can tell it
        return message;
    }

    @Override
    public Optional<ChatThread> find(String threadId, String ownerId) {
        ChatThread thread = em.find(ChatThread.class, threadId);
        return thread != null && thread.ownerId().equals(ownerId) ? Optional.of(thread) : Optional.empty();
    }

    @Override
    public ChatMessage append(String threadId, MessageRole role, String content, MessageStatus status,
                              String clientMessageId, String runId) {
        return append(UUID.randomUUID().toString(), threadId, role, content, status, clientMessageId, runId);
    }

    @Override
    public ChatMessage append(String messageId, String threadId, MessageRole role, String content,
                              MessageStatus status, String clientMessageId, String runId) {
        // The thread row lock serializes appends to one thread, so positions never collide. The row is read again
        // under the lock: the thread may already be loaded in this transaction (its owner was checked), and another
        // node may have appended since, which would otherwise fail the version check instead of waiting its turn.
        ChatThread thread = em.find(ChatThread.class, threadId);
        if (thread == null) {
            throw new IllegalArgumentException("thread " + threadId + " does not exist");
        }
        em.refresh(thread, LockModeType.PESSIMISTIC_WRITE);
        Integer last = em.createQuery("select max(m.position) from ChatMessage m where m.threadId = :t", Integer.class)
                .setParameter("t", threadId).getSingleResult();
        Instant now = Instant.now();
        ChatMessage message = new ChatMessage(messageId, threadId, thread.ownerId(), last == null ? 0 : last + 1, role,
                content, status, clientMessageId, runId, now);
        em.persist(message);
        thread.touch(now);
        em.flush(); // a refused client_message_id is raised here, where the caller can tell it
        return message;
    }

    @Override
    public List<ChatMessage> messages(String threadId) {
        return em.createQuery("select m from ChatMessage m where m.threadId = :t order by m.position", ChatMessage.class)
                .setParameter("t", threadId).getResultList();
    }

    @Override
    public Optional<ChatMessage> findByClientMessageId(String ownerId, String clientMessageId) {
        return em.createQuery("select m from ChatMessage m where m.ownerId = :o and m.clientMessageId = :c",
                        ChatMessage.class)
                .setParameter("o", ownerId).setParameter("c", clientMessageId).setMaxResults(1)
                .getResultStream().findFirst();
    }

    @Override
    public List<ChatThread> list(String ownerId, int offset, int limit) {
        return em.createQuery("select t from ChatThread t where t.ownerId = :o order by t.updatedAt desc, t.id",
                ChatThread.class).setParameter("o", ownerId).setFirstResult(offset).setMaxResults(limit)
                .getResultList();
    }

    @Override
    public long count(String ownerId) {
        return em.createQuery("select count(t) from ChatThread t where t.ownerId = :o", Long.class)
                .setParameter("o", ownerId).getSingleResult();
    }

    @Override
    public boolean rename(String threadId, String ownerId, String title) {
        Optional<ChatThread> thread = find(threadId, ownerId);
        thread.ifPresent(t -> t.rename(title, Instant.now()));
        return thread.isPresent();
    }

    @Override
    public boolean delete(String threadId, String ownerId) {
        Optional<ChatThread> thread = find(threadId, ownerId);
        thread.ifPresent(t -> {
            em.createQuery("delete from AgentRun r where r.threadId = :t").setParameter("t", threadId).executeUpdate();
            em.createQuery("delete from ChatMessage m where m.threadId = :t").setParameter("t", threadId)
                    .executeUpdate();
            em.remove(t);
        });
        return thread.isPresent();
    }

    @Override
    public List<MessageHit> search(String ownerId, String text, int limit) {
        String pattern = "%" + text.toLowerCase(java.util.Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%")
                .replace("_", "\\_") + "%";
        return em.createQuery("select m, t.title from ChatMessage m, ChatThread t where m.threadId = t.id "
                        + "and t.ownerId = :o and lower(m.content) like :p escape '\\' order by m.createdAt desc",
                        Object[].class)
                .setParameter("o", ownerId).setParameter("p", pattern).setMaxResults(limit).getResultList().stream()
                .map(row -> new MessageHit((ChatMessage) row[0], (String) row[1])).toList();
    }

    @Override
    public void verifyStorage() {
        for (Class<?> type : List.of(ChatThread.class, ChatMessage.class, AgentRun.class)) {
            em.createQuery("select x from " + type.getSimpleName() + " x", type).setMaxResults(1).getResultList();
        }
    }
}
