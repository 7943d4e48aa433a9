package dev.candor.infrastructure.cache;

/**
 * The Redis key layout, in one place. Every key starts with {@code candor:}. Keys that a script or transaction uses
 * together must share a Redis Cluster hash slot: a run's keys carry its id as hash tag ({@code {<runId>}}), so only
 * the part in braces decides the slot. Every other key is used on its own.
 */
public final class CacheKeys {

    private CacheKeys() {
    }

    /** Short-lived key written and removed by the validation round trip and the readiness probe. */
    public static String probe(String id) {
        return "candor:probe:" + id;
    }

    /** The event stream of one agent run; hash-tagged by the run id. */
    public static String runEvents(String runId) {
        return "candor:run:{" + runId + "}:events";
    }

    /**
     * A run's durable stop request, set by the node that took the {@code stop_run} and checked by the node that
     * executes the run. The braces are a hash tag: all keys of one run share a Redis Cluster slot.
     */
    public static String runStop(String runId) {
        return "candor:run:{" + runId + "}:stop";
    }

    /** The channel on which every node hears the ids of runs to stop (it stops the ones it executes). */
    public static String stopChannel() {
        return "candor:stop";
    }

    /**
     * The approval a run awaits: the call id while the node executing the run waits for it, then the call id and the
     * answer given on another node. Hash-tagged by the run id.
     */
    public static String runApproval(String runId) {
        return "candor:run:{" + runId + "}:approval";
    }

    /** The channel on which every node hears approvals answered on another node (the run's node hands them over). */
    public static String approvalChannel() {
        return "candor:approval";
    }

    /** A single-use WebSocket ticket (the value names the user it was issued to). */
    public static String ticket(String ticket) {
        return "candor:ticket:" + ticket;
    }

    /**
     * A limit's key under {@code candor:limit:}. {@code parts} name the limit, its configuration where it has one (so
     * a changed setting starts a new bucket instead of inheriting the old one) and whose it is (user, address,
     * connection), in that order.
     */
    public static String limit(String... parts) {
        return "candor:limit:" + String.join(":", parts);
    }
}
