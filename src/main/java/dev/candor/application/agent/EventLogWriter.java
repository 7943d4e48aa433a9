package dev.candor.application.agent;

import dev.candor.application.startup.DependencyMonitor;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes run events to the durable {@link RunEventLog} off the runs' critical path: events are sent to clients at
 * once and queued here; one drain at a time appends everything queued, of every run, in one pipelined batch. Each run's
 * order is kept. When the log cannot be written, nothing is dropped: the events stay in their journals and the drain
 * is retried with backoff.
 */
@ApplicationScoped
public class EventLogWriter {

    private static final Logger LOG = Logger.getLogger(EventLogWriter.class.getName());
    private static final int MAX_BATCH = 2_000;
    private static final long MAX_BACKOFF_MS = 5_000;

    @Inject
    RunEventLog log;

    @Inject
    DependencyMonitor monitor;

    @Resource
    ManagedScheduledExecutorService executor;

    private final ConcurrentMap<String, RunJournal> journals = new ConcurrentHashMap<>();
    private final Set<RunJournal> dirty = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean draining = new AtomicBoolean();
    private volatile long backoffMs;

    /** The journal of a new run. */
    RunJournal open(String runId) {
        return journals.computeIfAbsent(runId, RunJournal::new);
    }

    /** The journal of a run that is live on this node or whose events are not all durable yet. */
    public Optional<RunJournal> find(String runId) {
        return Optional.ofNullable(journals.get(runId));
    }

    /** Records the event in its run's journal and queues it for the durable log. Never blocks on I/O. */
    void append(RunJournal journal, EncodedEvent event) {
        journal.add(event);
        dirty.add(journal);
        kick();
    }

    /** Forgets a journal whose events must never be written (an abandoned run). */
    void discard(RunJournal journal) {
        journals.remove(journal.runId(), journal);
        dirty.remove(journal);
    }

    /** Runs not yet fully durable; for health and tests. */
    public int pendingRuns() {
        return journals.size();
    }

    private void kick() {
        if (backoffMs == 0 && draining.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    private void drain() {
        try {
            while (writeBatch()) {
                // keep going while there is work
            }
        } finally {
            draining.set(false);
        }
        if (!dirty.isEmpty()) {
            kick();
        }
    }

    /** Appends one batch; false when nothing was queued or the log failed (a retry is then scheduled). */
    private boolean writeBatch() {
        List<RunJournal> owners = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        List<EncodedEvent> batch = new ArrayList<>();
        for (RunJournal journal : List.copyOf(dirty)) {
            if (batch.size() >= MAX_BATCH) {
                break;
            }
            dirty.remove(journal); // an event appended from now on puts it back
            List<EncodedEvent> events = journal.unwritten(MAX_BATCH - batch.size());
            if (!events.isEmpty()) {
                owners.add(journal);
                counts.add(events.size());
                batch.addAll(events);
            }
        }
        if (batch.isEmpty()) {
            return false;
        }
        try {
            log.append(batch);
        } catch (RuntimeException e) {
            dirty.addAll(owners);
            retryLater(e);
            return false;
        }
        if (backoffMs != 0) {
            LOG.info("run event log is writable again; queued events are being appended");
            backoffMs = 0;
        }
        for (int i = 0; i < owners.size(); i++) {
            RunJournal journal = owners.get(i);
            journal.written(counts.get(i));
            if (journal.durable()) {
                journals.remove(journal.runId(), journal);
            } else if (journal.hasUnwritten()) {
                dirty.add(journal); // the batch was cut short
            }
        }
        return true;
    }

    private void retryLater(RuntimeException cause) {
        monitor.failed(cause); // a Redis that cannot be reached re-opens phase CACHE
        long delay = backoffMs == 0 ? 100 : Math.min(MAX_BACKOFF_MS, backoffMs * 2);
        if (backoffMs == 0) {
            LOG.warning("cannot append run events to the durable log (" + cause + "); " + journals.size()
                    + " runs keep their events in memory and the append is retried");
        }
        LOG.log(Level.FINE, "run event append failed", cause);
        backoffMs = delay;
        executor.schedule(() -> {
            backoffMs = Math.max(backoffMs, 1); // still failing until an append succeeds
            if (draining.compareAndSet(false, true)) {
                executor.execute(this::drain);
            }
        }, delay, TimeUnit.MILLISECONDS);
    }
}
