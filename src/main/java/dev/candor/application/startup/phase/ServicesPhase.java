package dev.candor.application.startup.phase;

import dev.candor.application.startup.Phase;
import dev.candor.application.startup.StartupPhase;
import dev.candor.application.tool.ToolRegistry;
import dev.candor.application.tool.ToolSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.logging.Logger;

/**
 * SERVICES: brings up what the application services need beyond CDI wiring: the tools, discovered and checked, and
 * the MCP servers, connected and their tools listed (a required server that cannot be reached fails the phase). The
 * services themselves are CDI beans, obtained by {@code @Inject}; nothing may use a run before this phase is READY,
 * because the WebSocket accepts user messages only after every phase is.
 */
@ApplicationScoped
public class ServicesPhase implements StartupPhase {

    private static final Logger LOG = Logger.getLogger(ServicesPhase.class.getName());

    @Inject
    ToolRegistry tools;

    @Inject
    @Any
    Instance<ToolSource> sources;

    @Override
    public Phase phase() {
        return Phase.SERVICES;
    }

    @Override
    public void run() {
        for (ToolSource source : sources) {
            source.connect();
        }
        tools.discover();
        LOG.info(() -> "tools available to the agent: " + tools.all().stream().map(t -> t.name()).sorted().toList());
        if (!tools.leftOut().isEmpty()) {
            LOG.warning(() -> "MCP servers left out (optional, not reachable): " + tools.leftOut());
        }
    }
}
