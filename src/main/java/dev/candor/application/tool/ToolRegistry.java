package dev.candor.application.tool;

import dev.candor.application.rollout.RolloutSwitches;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;

/**
 * Every {@link Tool} bean of the deployment and every tool of a {@link ToolSource}, by name. Filled by SERVICES. A user
 * is offered a tool when it is of no group or of one of theirs, and its rollout switch ({@code tool.<name>}, default
 * 100%) is on for them.
 */
@ApplicationScoped
public class ToolRegistry {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    /** What both OpenAI and Anthropic accept as a function name. */
    private static final Pattern WIRE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    @Inject
    @Any
    Instance<Tool> beans;

    @Inject
    @Any
    Instance<ToolSource> sources;

    @Inject
    RolloutSwitches rollout;

    private volatile Map<String, Tool> tools = Map.of();
    private final ConcurrentMap<String, Set<String>> groupsByUser = new ConcurrentHashMap<>();

    /** Discovers the tool beans and the sources' tools; fails on a bad or duplicate name rather than hiding a tool. */
    public void discover() {
        Map<String, Tool> found = new TreeMap<>();
        for (Tool tool : beans) {
            if (!NAME.matcher(tool.name()).matches()) {
                throw new IllegalStateException("tool " + tool.getClass().getName() + " has an invalid name '"
                        + tool.name() + "' (lower_snake_case, at most 64 characters)");
            }
            add(found, tool);
        }
        for (ToolSource source : sources) {
            for (Tool tool : source.tools()) {
                if (!WIRE_NAME.matcher(tool.name()).matches()) {
                    throw new IllegalStateException("tool '" + tool.name() + "' of MCP server '"
                            + tool.server().orElse("?") + "' has a name models do not accept");
                }
                add(found, tool);
            }
        }
        tools = Map.copyOf(found);
    }

    private static void add(Map<String, Tool> found, Tool tool) {
        if (found.putIfAbsent(tool.name(), tool) != null) {
            throw new IllegalStateException("two tools are named '" + tool.name() + "'");
        }
    }

    public Optional<Tool> find(String name) {
        return Optional.ofNullable(tools.get(name));
    }

    public Collection<Tool> all() {
        return tools.values();
    }

    /**
     * Records the groups of {@code userId} as their current credential says, when they send a message: the runs
     * started on this server for them are offered only the tools of their groups.
     */
    public void userGroups(String userId, Set<String> groups) {
        groupsByUser.put(userId, Set.copyOf(groups));
    }

    /** The tools {@code userId} may use. */
    public Collection<Tool> availableTo(String userId) {
        return tools.values().stream().filter(tool -> allows(tool, userId)).toList();
    }

    /**
     * True when {@code tool}'s rollout switch is on for {@code userId} and the tool is limited to no group, or
     * {@code userId} is in one of its groups.
     */
    public boolean allows(Tool tool, String userId) {
        if (!rollout.on(RolloutSwitches.tool(tool.name()), userId, 100)) {
            return false;
        }
        if (tool.groups().isEmpty()) {
            return true;
        }
        Set<String> groups = groupsByUser.getOrDefault(userId, Set.of());
        return tool.groups().stream().anyMatch(groups::contains);
    }

    /** Configured tool servers left out because they could not be reached (readiness names them). */
    public Set<String> leftOut() {
        Set<String> names = new TreeSet<>();
        for (ToolSource source : sources) {
            names.addAll(source.leftOut());
        }
        return names;
    }
}
