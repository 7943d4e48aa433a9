package dev.candor.infrastructure.persistence;

import dev.candor.domain.run.AgentRun;
import dev.candor.domain.run.RunRepository;
import dev.candor.domain.run.RunStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/** JPA implementation of {@link RunRepository}. Each method is one transaction. */
@ApplicationScoped
@Transactional
public class JpaRunRepository implements RunRepository {

    @PersistenceContext(unitName = "candor")
    EntityManager em;

    @Override
    public AgentRun start(String runId, String threadId, String userMessageId) {
        AgentRun run = new AgentRun(runId, threadId, userMessageId, Instant.now());
        em.persist(run);
        return run;
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
        return em.createQuery("select r from AgentRun r where r.threadId = :t and r.status = :s", AgentRun.class)
                .setParameter("t", threadId).setParameter("s", RunStatus.RUNNING).setMaxResults(1)
                .getResultStream().findFirst();
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
