package dev.candor.application.tool;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Every {@link Tool} bean of the deployment, by name. Filled by the SERVICES phase. */
@ApplicationScoped
public class ToolRegistry {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    @Inject
    @Any
    Instance<Tool> beans;

    private volatile Map<String, Tool> tools = Map.of();

    /** Discovers the tool beans; fails on a bad or duplicate name rather than hiding a tool. */
    public void discover() {
        Map<String, Tool> found = new TreeMap<>();
        for (Tool tool : beans) {
            if (!NAME.matcher(tool.name()).matches()) {
                throw new IllegalStateException("tool " + tool.getClass().getName() + " has an invalid name '"
                        + tool.name() + "' (lower_snake_case, at most 64 characters)");
            }
            if (found.putIfAbsent(tool.name(), tool) != null) {
                throw new IllegalStateException("two tools are named '" + tool.name() + "'");
            }
        }
        tools = Map.copyOf(found);
    }

    public Optional<Tool> find(String name) {
        return Optional.ofNullable(tools.get(name));
    }

    public Collection<Tool> all() {
        return tools.values();
    }
}
