package dev.candor.application.agent;

import dev.candor.application.CandorException;
import dev.candor.application.ErrorCode;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Carries agent events to the connections that follow each run: the one that started it and any that resumed it.
 * The WEBSOCKET phase attaches the sink; until then nothing can be published.
 */
@ApplicationScoped
public class EventBridge {

    private volatile EventSink sink;
    private final ConcurrentMap<String, Set<Follower>> followers = new ConcurrentHashMap<>();

    public void attach(EventSink eventSink) {
        this.sink = eventSink;
    }

    public boolean isAttached() {
        return sink != null;
    }

    /** Sends {@code event} to every follower of its run; forgets the run after its last event. */
    public void publish(EncodedEvent event) {
        EventSink target = requireSink();
        Set<Follower> following = followers.get(event.runId());
        if (following != null) {
            following.removeIf(follower -> !follower.offer(event, target));
        }
        if (event.terminal()) {
            followers.remove(event.runId());
        }
    }

    /** The connection that starts a run follows it from its first event. */
    public void follow(String runId, String connectionId) {
        add(runId, new Follower(connectionId, 0, false));
    }

    /**
     * A resuming connection follows a live run: events with seq above {@code afterSeq} from {@code stored} first (read
     * after this call registers it), then live ones, without gap or duplicate. The handle answers true while the
     * connection still follows (it is open and has not had the terminal event).
     */
    public ResumeHandle resume(String runId, String connectionId, long afterSeq) {
        Follower follower = new Follower(connectionId, afterSeq, true);
        add(runId, follower);
        return stored -> {
            boolean open = follower.replayed(stored, requireSink());
            if (!open || follower.sawTerminal()) {
                Set<Follower> following = followers.get(runId);
                if (following != null) {
                    following.remove(follower); // the run had ended: nothing more will be published for it
                }
            }
            return open && !follower.sawTerminal();
        };
    }

    /** True when the connection follows the run (a terminal event or a failed delivery ends that). */
    public boolean follows(String runId, String connectionId) {
        Set<Follower> following = followers.get(runId);
        return following != null && following.stream().anyMatch(f -> f.connectionId().equals(connectionId));
    }

    /** The connection no longer follows the run; a run left without followers is forgotten. */
    public void unfollow(String runId, String connectionId) {
        followers.computeIfPresent(runId, (id, following) -> {
            following.removeIf(f -> f.connectionId().equals(connectionId));
            return following.isEmpty() ? null : following;
        });
    }

    /** Adds atomically with {@link #unfollow}, so a follower is never added to a set that was just dropped. */
    private void add(String runId, Follower follower) {
        followers.compute(runId, (id, following) -> {
            Set<Follower> set = following != null ? following : ConcurrentHashMap.newKeySet();
            set.add(follower);
            return set;
        });
    }

    /** Sends stored events straight to a connection (a run that is not live on this node). */
    public boolean replay(String connectionId, List<EncodedEvent> stored) {
        EventSink target = requireSink();
        for (EncodedEvent event : stored) {
            if (!target.deliver(connectionId, event)) {
                return false;
            }
        }
        return true;
    }

    /** Forgets the followers of a run that will publish nothing more (one abandoned before it sent anything). */
    public void forgetRun(String runId) {
        followers.remove(runId);
    }

    /** Stops delivering to a closed connection. */
    public void forget(String connectionId) {
        followers.values().forEach(set -> set.removeIf(f -> f.connectionId().equals(connectionId)));
    }

    private EventSink requireSink() {
        EventSink target = sink;
        if (target == null) {
            throw new CandorException(ErrorCode.NOT_READY, "no client transport is attached (phase WEBSOCKET)", true);
        }
        return target;
    }

    /** Completes a resume once the stored events were read. */
    @FunctionalInterface
    public interface ResumeHandle {
        boolean replayed(List<EncodedEvent> stored);
    }
}
