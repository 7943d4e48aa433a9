package dev.candor.application.limit;

/**
 * The limits every node enforces together (docs/protocol.md, "Limits"); implemented in infrastructure/cache. Keyed by
 * the user id string of the connection or caller, so they hold unchanged for real identities. A refusal is a
 * {@link dev.candor.application.CandorException} with its code and {@code retryAfterMs}: nothing is queued.
 */
public interface UsageLimits {

    /**
     * Counts one user_message against the user's rate; RATE_LIMITED (not counted) when the rate or the user's token
     * budget for the UTC day is used up.
     */
    void admitMessage(String userId);

    /** One of the user's concurrent run slots; RATE_LIMITED when all are taken. Release it when the run ends. */
    Slot claimRun(String userId);

    /** Adds a completed run's tokens (input + output, as the provider reported them) to the user's day. */
    void tokensUsed(String userId, long tokens);

    /** Counts one resume of the connection; RATE_LIMITED when its rate is used up. */
    void admitResume(String connectionId);

    /**
     * A slot for a new connection of {@code userId} from {@code clientAddress} (null when unknown);
     * TOO_MANY_CONNECTIONS when the user or the address holds as many as allowed. Release it when the connection
     * closes.
     */
    Slot openConnection(String userId, String clientAddress);

    /** Output tokens one run may use, in all its model turns. */
    int runOutputTokens();

    /** A held place in a limit, renewed while held; release is idempotent. */
    interface Slot {
        Slot NONE = () -> { };

        void release();
    }
}
