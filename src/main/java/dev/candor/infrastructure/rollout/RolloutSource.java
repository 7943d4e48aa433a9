package dev.candor.infrastructure.rollout;

import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * A MicroProfile ConfigSource of rollout switches whose content is replaced at runtime by the {@link RolloutFeed}.
 * The config runtime creates it (META-INF/services); the feed finds it among the sources of the deployment's Config.
 * Its ordinal is above the system properties (400) and the environment (300), so a switch set at runtime wins; a value
 * set there or in microprofile-config.properties applies while the runtime sources say nothing.
 */
public abstract class RolloutSource implements ConfigSource {

    private final String name;
    private final int ordinal;
    private volatile Map<String, String> properties = Map.of();

    RolloutSource(String name, int ordinal) {
        this.name = name;
        this.ordinal = ordinal;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public int getOrdinal() {
        return ordinal;
    }

    /** Replaces the content; the next read through Config sees it. */
    void replace(Map<String, String> accepted) {
        properties = Map.copyOf(accepted);
    }

    Map<String, String> properties() {
        return properties;
    }

    @Override
    public Set<String> getPropertyNames() {
        return properties.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return properties.get(propertyName);
    }

    /** The rollout file in the data directory: ordinal 500. */
    public static final class File extends RolloutSource {
        public File() {
            super("rollout file", 500);
        }
    }

    /** The Redis hash shared by every node: ordinal 510, above the file. */
    public static final class Redis extends RolloutSource {
        public Redis() {
            super("rollout Redis hash", 510);
        }
    }
}
