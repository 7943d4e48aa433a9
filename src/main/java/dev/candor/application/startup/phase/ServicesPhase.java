package dev.candor.application.startup.phase;

import dev.candor.application.startup.Phase;
import dev.candor.application.startup.StartupPhase;
import dev.candor.application.tool.ToolRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.logging.Logger;

/**
 * SERVICES: brings up what the application services need beyond CDI wiring: the tools, discovered and checked. The
 * services themselves are CDI beans, obtained by {@code @Inject}; nothing may use a run before this phase is READY,
 * because the WebSocket accepts user messages only after every phase is.
 */
@ApplicationScoped
public class ServicesPhase implements StartupPhase {

    private static final Logger LOG = Logger.getLogger(ServicesPhase.class.getName());

    @Inject
    ToolRegistry tools;

    @Override
    public Phase phase() {
        return Phase.SERVICES;
    }

    @Override
    public void run() {
        tools.discover();
        LOG.info(() -> "tools available to the agent: " + tools.all().stream().map(t -> t.name()).sorted().toList());
    }
}
