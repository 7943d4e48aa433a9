package dev.candor.application;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The services the SERVICES phase set up, keyed by their type. Code that needs one asks here, so nothing can use a
 * service before startup registered it.
 */
@ApplicationScoped
public class ServiceRegistry {

    private final ConcurrentMap<Class<?>, Object> services = new ConcurrentHashMap<>();

    public <T> void register(Class<T> type, T service) {
        services.put(type, type.cast(service));
    }

    public <T> Optional<T> find(Class<T> type) {
        return Optional.ofNullable(services.get(type)).map(type::cast);
    }

    /** The service, or NOT_READY when startup has not registered it (yet). */
    public <T> T require(Class<T> type) {
        return find(type).orElseThrow(() -> new CandorException(ErrorCode.NOT_READY,
                "service " + type.getSimpleName() + " is not available: startup phase SERVICES has not completed", true));
    }

    public Set<Class<?>> registered() {
        return Set.copyOf(services.keySet());
    }
}
