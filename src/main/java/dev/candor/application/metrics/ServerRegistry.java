package dev.candor.application.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import java.lang.reflect.Field;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The registry the Prometheus scrape reads. WildFly 39 injects a per-deployment registry (its ApplicationRegistry)
 * that forwards only {@code counter(name, tags)}, {@code timer(name, tags)} and {@code gauge(..)} to the server's
 * registry: a meter registered with a builder stays inside it, invisible to the scrape, and a timer loses its
 * histogram buckets. The meters are therefore registered on the server's registry behind it.
 */
final class ServerRegistry {

    private static final Logger LOG = Logger.getLogger(ServerRegistry.class.getName());
    private static final String DEPLOYMENT_REGISTRY = "org.wildfly.extension.micrometer.registry.ApplicationRegistry";

    private ServerRegistry() {
    }

    /** The server's registry behind {@code injected}; {@code injected} itself when it is not WildFly's wrapper. */
    static MeterRegistry behind(MeterRegistry injected) {
        if (!DEPLOYMENT_REGISTRY.equals(injected.getClass().getName())) {
            return injected;
        }
        try {
            Field parent = injected.getClass().getDeclaredField("parentRegistry");
            parent.setAccessible(true);
            return (MeterRegistry) parent.get(injected);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.WARNING, "Candor's meters are not scraped: the micrometer subsystem's registry could not be "
                    + "reached behind " + DEPLOYMENT_REGISTRY + " (" + e + ")");
            return injected;
        }
    }
}
