package dev.candor.application.startup.phase;

import dev.candor.application.ServiceRegistry;
import dev.candor.application.chat.EventBridge;
import dev.candor.application.startup.Phase;
import dev.candor.application.startup.StartupPhase;
import dev.candor.domain.thread.ThreadRepository;
import dev.candor.infrastructure.cache.RedisClientProducer;
import dev.candor.infrastructure.llm.LlmManager;
import dev.candor.infrastructure.persistence.SchemaManager;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/** VALIDATION: every required service is registered and every dependency passes a real round trip. */
@ApplicationScoped
public class ValidationPhase implements StartupPhase {

    @Inject
    ServiceRegistry registry;

    @Inject
    EventBridge bridge;

    @Inject
    SchemaManager schema;

    @Inject
    ThreadRepository threads;

    @Inject
    RedisClientProducer redis;

    @Inject
    LlmManager llm;

    @Override
    public Phase phase() {
        return Phase.VALIDATION;
    }

    @Override
    public void run() throws Exception {
        List<String> missing = ServicesPhase.REQUIRED.stream().filter(type -> registry.find(type).isEmpty())
                .map(Class::getSimpleName).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("services not registered: " + missing);
        }
        if (!bridge.isAttached()) {
            throw new IllegalStateException("the event bridge has no WebSocket sink attached");
        }
        schema.ping(5);
        threads.verifyStorage();
        redis.roundTrip();
        llm.verify();
    }
}
