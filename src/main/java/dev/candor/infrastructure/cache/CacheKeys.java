package dev.candor.infrastructure.cache;

/** The Redis key layout, in one place. Every key starts with {@code candor:}. */
public final class CacheKeys {

    private CacheKeys() {
    }

    /** Short-lived key written and removed by the validation round trip and the readiness probe. */
    public static String probe(String id) {
        return "candor:probe:" + id;
    }

    /** The event stream of one agent run. */
    public static String runEvents(String runId) {
        return "candor:run:" + runId + ":events";
    }

    /** A single-use WebSocket ticket (the value names the user it was issued to). */
    public static String ticket(String ticket) {
        return "candor:ticket:" + ticket;
    }
}
