package dev.candor.application.chat;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Keeps track of the agent runs in progress. */
@ApplicationScoped
public class AgentSupervisor {

    private final Set<String> activeRuns = ConcurrentHashMap.newKeySet();

    public int activeRunCount() {
        return activeRuns.size();
    }
}
