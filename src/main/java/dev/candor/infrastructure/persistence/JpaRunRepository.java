package dev.candor.infrastructure.persistence;

import dev.candor.domain.run.AgentRun;
import dev.candor.domain.run.RunRepository;
import dev.candor.domain.run.RunStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** JPA implementation of {@link RunRepository}. Each method is one transaction. */
@ApplicationScoped
@Transactional
public class JpaRunRepository implements RunRepository {

    @PersistenceContext(unitName = "candor")
    EntityManager em;

    @Override
    public AgentRun start(String runId, String threadId, String userMessageId, String ownerNode, Instant leaseUntil) {
        AgentRun run = new AgentRun(runId, threadId, userMessageId, Instant.now(), ownerNode, leaseUntil);
        em.persist(run);
        em.flush(); // a refused second RUNNING run on the thread is raised here, where the caller can tell it
        return run;
    }

    @Override
    public void renew(Collection<String> runIds, Instant until) {
        if (!runIds.isEmpty()) {
            em.createQuery("update AgentRun r set r.leaseUntil = :until where r.id in :ids and r.status = :running")
                    .setParameter("until", until).setParameter("ids", runIds)
                    .setParameter("running", RunStatus.RUNNING).executeUpdate();
        }
    }

    @Override
    public List<AgentRun> expired(Instant now, Duration lease, int limit) {
        return em.createQuery("select r from AgentRun r where r.status = :running and (r.leaseUntil < :now or "
                        + "(r.leaseUntil is null and r.startedAt < :unleased)) order by r.startedAt", AgentRun.class)
                .setParameter("running", RunStatus.RUNNING).setParameter("now", now)
                .setParameter("unleased", now.minus(lease)).setMaxResults(limit).getResultList();
    }

    @Override
    public boolean interrupt(String runId, String partialMessageId, Instant now, Duration lease) {
        return em.createQuery("update AgentRun r set r.status = :interrupted, r.runningThreadId = null, "
                        + "r.assistantMessageId = :message, r.errorCode = 'RUN_INTERRUPTED', r.endedAt = :now "
                        + "where r.id = :id and r.status = :running "
                        + "and (r.leaseUntil < :now or (r.leaseUntil is null and r.startedAt < :unleased))")
                .setParameter("interrupted", RunStatus.INTERRUPTED).setParameter("message", partialMessageId)
                .setParameter("now", now).setParameter("id", runId).setParameter("running", RunStatus.RUNNING)
                .setParameter("unleased", now.minus(lease)).executeUpdate() == 1;
    }

    @Override
    public Optional<AgentRun> find(String runId) {
        return Optional.ofNullable(em.find(AgentRun.class, runId));
    }

    @Override
    public Optional<AgentRun> findByUserMessage(String userMessageId) {
        return em.createQuery("select r from AgentRun r where r.userMessageId = :m order by r.startedAt desc",
                AgentRun.class).setParameter("m", userMessageId).setMaxResults(1).getResultStream().findFirst();
    }

    @Override
    public Optional<AgentRun> findRunning(String threadId) {
        // The run holding the thread's slot: the UNIQUE constraint makes it the only one.
        return em.createQuery("select r from AgentRun r where r.runningThreadId = :t", AgentRun.class)
                .setParameter("t", threadId).getResultStream().findFirst();
    }

    @Override
    public void completed(String runId, String assistantMessageId, String finishReason, String model, int inputTokens,
                          int outputTokens) {
        update(runId, run -> run.complete(assistantMessageId, finishReason, model, inputTokens, outputTokens,
                Instant.now()));
    }

    @Override
    public void failed(String runId, String errorCode) {
        update(runId, run -> run.fail(errorCode, Instant.now()));
    }

    @Override
    public void cancelled(String runId, String partialMessageId) {
        update(runId, run -> run.cancel(partialMessageId, Instant.now()));
    }

    private void update(String runId, Consumer<AgentRun> change) {
        AgentRun run = em.find(AgentRun.class, runId);
        if (run == null) {
            throw new IllegalArgumentException("run " + runId + " does not exist");
        }
        change.accept(run);
    }
}
