package dev.candor.application.startup.phase;

import dev.candor.application.ServiceRegistry;
import dev.candor.application.agent.AgentSupervisor;
import dev.candor.application.chat.EventBridge;
import dev.candor.application.chat.ThreadService;
import dev.candor.application.startup.Phase;
import dev.candor.application.startup.StartupPhase;
import dev.candor.application.tool.ToolRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/** SERVICES: discovers the tools and registers the application services in the typed {@link ServiceRegistry}. */
@ApplicationScoped
public class ServicesPhase implements StartupPhase {

    /** What VALIDATION expects to find registered. */
    public static final List<Class<?>> REQUIRED = List.of(ThreadService.class, AgentSupervisor.class,
            ToolRegistry.class, EventBridge.class);

    @Inject
    ServiceRegistry registry;

    @Inject
    ThreadService threads;

    @Inject
    AgentSupervisor supervisor;

    @Inject
    ToolRegistry tools;

    @Inject
    EventBridge bridge;

    @Override
    public Phase phase() {
        return Phase.SERVICES;
    }

    @Override
    public void run() {
        tools.discover();
        registry.register(ThreadService.class, threads);
        registry.register(AgentSupervisor.class, supervisor);
        registry.register(ToolRegistry.class, tools);
        registry.register(EventBridge.class, bridge);
    }
}
