package dev.candor.testsupport;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigValue;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * A MicroProfile Config over given ConfigSources (the highest ordinal wins, as in the runtime), for unit tests of code
 * that reads through Config; values are Strings only. {@link #of(Map)} makes one of a plain map.
 */
public final class SourcesConfig implements Config {

    private final List<ConfigSource> sources;

    public SourcesConfig(ConfigSource... sources) {
        this.sources = new ArrayList<>(List.of(sources));
        this.sources.sort(Comparator.comparingInt(ConfigSource::getOrdinal).reversed());
    }

    /** A config of one source holding {@code values} (ordinal 100, like microprofile-config.properties). */
    public static SourcesConfig of(Map<String, String> values) {
        return new SourcesConfig(new ConfigSource() {
            public Set<String> getPropertyNames() {
                return values.keySet();
            }

            public String getValue(String propertyName) {
                return values.get(propertyName);
            }

            public String getName() {
                return "test map";
            }

            public int getOrdinal() {
                return 100;
            }
        });
    }

    @Override
    public <T> T getValue(String propertyName, Class<T> propertyType) {
        return getOptionalValue(propertyName, propertyType).orElseThrow();
    }

    @Override
    public ConfigValue getConfigValue(String propertyName) {
        ConfigSource winner = sources.stream().filter(s -> s.getValue(propertyName) != null).findFirst().orElse(null);
        String value = winner != null ? winner.getValue(propertyName) : null;
        return new ConfigValue() {
            public String getName() {
                return propertyName;
            }

            public String getValue() {
                return value;
            }

            public String getRawValue() {
                return value;
            }

            public String getSourceName() {
                return winner != null ? winner.getName() : null;
            }

            public int getSourceOrdinal() {
                return winner != null ? winner.getOrdinal() : 0;
            }
        };
    }

    @Override
    public <T> Optional<T> getOptionalValue(String propertyName, Class<T> propertyType) {
        if (propertyType != String.class) {
            throw new UnsupportedOperationException("SourcesConfig converts to String only");
        }
        return Optional.ofNullable(getConfigValue(propertyName).getValue()).map(propertyType::cast);
    }

    @Override
    public Iterable<String> getPropertyNames() {
        Set<String> names = new TreeSet<>();
        sources.forEach(source -> names.addAll(source.getPropertyNames()));
        return names;
    }

    @Override
    public Iterable<ConfigSource> getConfigSources() {
        return sources;
    }

    @Override
    public <T> Optional<Converter<T>> getConverter(Class<T> forType) {
        return Optional.empty();
    }

    @Override
    public <T> T unwrap(Class<T> type) {
        throw new IllegalArgumentException("SourcesConfig unwraps to nothing");
    }
}
