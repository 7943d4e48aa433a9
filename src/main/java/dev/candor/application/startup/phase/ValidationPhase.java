package dev.candor.application.startup.phase;

import dev.candor.application.agent.EventBridge;
import dev.candor.application.startup.Phase;
import dev.candor.application.startup.StartupPhase;
import dev.candor.application.tool.ToolRegistry;
import dev.candor.domain.thread.ThreadRepository;
import dev.candor.infrastructure.cache.RedisClientProducer;
import dev.candor.infrastructure.llm.LlmManager;
import dev.candor.infrastructure.persistence.SchemaManager;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** VALIDATION: the tools are discovered, the event bridge is attached, and every dependency passes a real round trip. */
@ApplicationScoped
public class ValidationPhase implements StartupPhase {

    @Inject
    EventBridge bridge;

    @Inject
    ToolRegistry tools;

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
        if (tools.all().isEmpty()) {
            throw new IllegalStateException("no tools were discovered (phase SERVICES)");
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
