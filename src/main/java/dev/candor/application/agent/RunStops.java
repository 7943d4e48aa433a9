package dev.candor.application.agent;

import java.util.Collection;
import java.util.Set;

/**
 * Port to the stop requests every node shares: a durable flag per run, and a broadcast that the node executing the run
 * hears at once (it then fires {@link StopRequested}).
 */
public interface RunStops {

    /** Records a stop request for the run (kept a few lease periods) and tells every node, in one round trip. */
    void request(String runId);

    /** Those of {@code runIds} that have a stop request, in one round trip. */
    Set<String> requested(Collection<String> runIds);
}
