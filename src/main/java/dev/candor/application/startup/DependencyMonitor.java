package dev.candor.application.startup;

import dev.candor.application.DatabaseFailures;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.logging.Logger;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Where the live state of the dependencies reaches the ledger. The background probe and real uses (a run, a resume, a
 * REST call, the event log) report what failed; a failure to reach a dependency demotes the phase that owns it, and
 * the gate then re-initializes it on demand, as at boot. A failure caused by one bad request (an HTTP 400 from the
 * provider, a constraint violation) is not a lost dependency and changes nothing.
 */
@ApplicationScoped
public class DependencyMonitor {

    private static final Logger LOG = Logger.getLogger(DependencyMonitor.class.getName());

    @Inject
    PhaseLedger ledger;

    /** The dependency is unreachable: its phase becomes FAILED (if it was READY). True when this call demoted it. */
    public boolean lost(Dependency dependency, String reason) {
        boolean demoted = ledger.lost(dependency.owner(), reason);
        if (demoted) {
            LOG.warning(() -> dependency + " lost (" + reason + "): phase " + dependency.owner()
                    + " and the phases after it will be initialized again");
        }
        return demoted;
    }

    /** A failure in real use: demotes the dependency it failed to reach, if any. True when it was such a failure. */
    public boolean failed(Throwable failure) {
        Optional<Dependency> dependency = unreachable(failure);
        dependency.ifPresent(d -> lost(d, describe(failure)));
        return dependency.isPresent();
    }

    /** A call to the LLM provider failed: demotes DEPENDENCIES only when the provider could not be reached at all. */
    public boolean llmFailed(Throwable failure) {
        if (!cannotConnect(failure)) {
            return false;
        }
        lost(Dependency.LLM, describe(failure));
        return true;
    }

    /** The dependency a failure could not reach: Redis or the database; empty for any other failure. */
    public static Optional<Dependency> unreachable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JedisConnectionException) {
                return Optional.of(Dependency.REDIS);
            }
        }
        return DatabaseFailures.isConnectionFailure(failure) ? Optional.of(Dependency.DATABASE) : Optional.empty();
    }

    /**
     * True when every pooled Redis connection of this node stayed in use for candor.redis.max-wait-ms: Redis answers,
     * this node is overloaded, so nothing is demoted or reconnected.
     */
    public static boolean redisPoolExhausted(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JedisException && t.getCause() instanceof NoSuchElementException) {
                return true;
            }
        }
        return false;
    }

    /** True when the failure is a connection that could not be opened (refused, timed out, unknown host). */
    public static boolean cannotConnect(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof HttpConnectTimeoutException
                    || t instanceof UnresolvedAddressException || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable failure) {
        return StartupOrchestrator.describe(failure);
    }
}
