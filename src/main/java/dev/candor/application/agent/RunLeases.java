package dev.candor.application.agent;

import dev.candor.application.startup.DependencyMonitor;
import dev.candor.application.startup.StartupService;
import dev.candor.domain.run.AgentRun;
import dev.candor.domain.run.RunRepository;
import dev.candor.infrastructure.config.AgentConfig;
import dev.candor.infrastructure.config.CandorConfig;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Run leases. Every node renews the leases of the runs it executes, every third of candor.runs.lease-ms. Every node,
 * every candor.runs.reclaim-interval-ms once startup is complete (so also right after a restart), ends the runs whose
 * lease expired, whichever node they were on: the partial answer, read from the run's stream, is stored as an
 * unfinished message, the run becomes INTERRUPTED (which frees its thread), and {@code agent_error RUN_INTERRUPTED} is
 * appended to its stream, so a client resuming it gets the events it missed and then a terminal event. A run whose
 * stream already ends with its terminal event (it ended, but its end could not be stored) keeps no text: its clients
 * were told what was stored. Of two nodes reclaiming the same run, the database lets one through.
 */
@ApplicationScoped
public class RunLeases {

    private static final Logger LOG = Logger.getLogger(RunLeases.class.getName());
    private static final int BATCH = 50;

    @Inject
    CandorConfig config;

    @Inject
    DependencyMonitor monitor;

    @Inject
    AgentSupervisor supervisor;

    @Inject
    RunRepository runs;

    @Inject
    RunOutcomes outcomes;

    @Inject
    RunEventLog log;

    @Inject
    RunEventEncoder encoder;

    @Inject
    StartupService startup;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private final List<ScheduledFuture<?>> tasks = new ArrayList<>();

    void schedule(@Observes @Initialized(ApplicationScoped.class) Object event) {
        AgentConfig agent = config.agent();
        long renewMs = Math.max(100, agent.lease().toMillis() / 3);
        tasks.add(scheduler.scheduleWithFixedDelay(this::renew, renewMs, renewMs, TimeUnit.MILLISECONDS));
        long reclaimMs = Math.max(100, agent.reclaimInterval().toMillis());
        tasks.add(scheduler.scheduleWithFixedDelay(this::reclaimExpired, reclaimMs, reclaimMs, TimeUnit.MILLISECONDS));
    }

    @PreDestroy
    void stop() {
        tasks.forEach(task -> task.cancel(false));
    }

    /** Extends the leases of this node's runs. */
    void renew() {
        Set<String> mine = supervisor.activeRunIds();
        if (mine.isEmpty() || !startup.bootCompleted()) {
            return; // while another dependency is re-initialized the runs go on, and so do their leases
        }
        try {
            runs.renew(mine, Instant.now().plus(config.agent().lease()));
        } catch (RuntimeException e) {
            monitor.failed(e);
            LOG.log(Level.WARNING, "could not renew the leases of " + mine.size() + " runs: " + e);
        }
    }

    /** Ends the runs whose lease expired. */
    void reclaimExpired() {
        if (!startup.isComplete()) {
            return;
        }
        try {
            Instant now = Instant.now();
            for (AgentRun run : runs.expired(now, config.agent().lease(), BATCH)) {
                if (supervisor.find(run.id()).isEmpty()) {
                    reclaim(run, now);
                }
            }
        } catch (RuntimeException e) {
            monitor.failed(e);
            LOG.log(Level.WARNING, "could not look for runs with expired leases: " + e);
        }
    }

    private void reclaim(AgentRun run, Instant now) {
        List<EncodedEvent> events = log.after(run.id(), 0);
        StringBuilder partial = new StringBuilder();
        events.forEach(e -> encoder.deltaText(e.frame()).ifPresent(partial::append));
        boolean ended = !events.isEmpty() && events.get(events.size() - 1).terminal();
        if (ended) {
            partial.setLength(0); // its terminal event told the clients what was stored (maybe: nothing); it stays so
        }
        String messageId;
        try {
            messageId = outcomes.interrupted(run.id(), run.threadId(), partial.toString(), now, config.agent().lease())
                    .orElse(null);
        } catch (RunOutcomes.LeaseTakenException taken) {
            return;
        }
        if (!ended) {
            long seq = events.isEmpty() ? 1 : events.get(events.size() - 1).seq() + 1;
            AgentEvent interrupted = new AgentEvent(run.id(), run.threadId(), seq, now, new RunEvent.AgentError(
                    "RUN_INTERRUPTED", "The server that was answering stopped before the answer was complete. "
                    + (messageId == null ? "No part of an answer was received." : "The part received so far is kept "
                    + "as an unfinished message.") + " Send the message again for a new answer.", true, null, null));
            log.append(List.of(new EncodedEvent(run.id(), seq, true, encoder.encode(interrupted))));
        }
        LOG.info(() -> "run " + run.id() + " of node " + run.ownerNode() + " was interrupted (its lease expired); "
                + partial.length() + " characters of its answer kept");
    }
}
