package dev.candor.application.rollout;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The rollout switches, read through MicroProfile Config at every use, so a change of their runtime sources (the
 * rollout file, the Redis hash) applies to the next decision. A switch {@code <name>} has
 * {@code candor.rollout.<name>.percent} (0 to 100: the share of users it is on for, picked by {@link CohortHash}) and,
 * for a switch that carries a value, {@code candor.rollout.<name>.value}. Unset, each switch keeps today's behaviour.
 */
@ApplicationScoped
public class RolloutSwitches {

    public static final String PREFIX = "candor.rollout.";

    /** A client waiting for initialization may start on-demand attempts (default: everyone). */
    public static final String INIT_ON_DEMAND = "init.on-demand";

    /** The model sent to the provider: {@code .value} for the users inside {@code .percent} (default: nobody). */
    public static final String PROVIDER_MODEL = "provider.model";

    /** A switch's keys: its name, then {@code percent} or {@code value}. */
    public static final Pattern KEY = Pattern.compile(Pattern.quote(PREFIX) + "([A-Za-z0-9_.-]+)\\.(percent|value)");

    @Inject
    Config config;

    protected RolloutSwitches() {
    }

    /** Switches read through {@code config} (outside CDI: tests). */
    public RolloutSwitches(Config config) {
        this.config = config;
    }

    /** The switch of a tool (built-in or MCP, by its registry name); default: offered to everyone. */
    public static String tool(String toolName) {
        return "tool." + toolName;
    }

    /** The switch's percentage now; {@code defaultPercent} when it is unset or not a whole number from 0 to 100. */
    public int percent(String name, int defaultPercent) {
        return config.getOptionalValue(PREFIX + name + ".percent", String.class).map(String::trim)
                .flatMap(RolloutSwitches::parsePercent).orElse(defaultPercent);
    }

    /** True when {@code name} is on for {@code userId} (null: a user not known yet, inside only at 100%). */
    public boolean on(String name, String userId, int defaultPercent) {
        return CohortHash.inside(name, userId, percent(name, defaultPercent));
    }

    /** The switch's value for {@code userId}: present when it has one and the user is inside its percentage. */
    public Optional<String> value(String name, String userId) {
        return config.getOptionalValue(PREFIX + name + ".value", String.class).map(String::trim)
                .filter(value -> !value.isEmpty()).filter(value -> on(name, userId, 0));
    }

    /**
     * True when a switch that changes runs is being rolled out now (0 &lt; percent &lt; 100) and gives {@code userId}
     * something other than its default: the provider model's value (by default nobody has it), a tool taken away (by
     * default everyone has it). {@link #INIT_ON_DEMAND} changes no run and does not count.
     */
    public boolean candidate(String userId) {
        for (String name : names()) {
            if (name.equals(INIT_ON_DEMAND)) {
                continue;
            }
            boolean onByDefault = name.startsWith("tool.");
            int percent = percent(name, onByDefault ? 100 : 0);
            if (percent > 0 && percent < 100 && CohortHash.inside(name, userId, percent) != onByDefault) {
                return true;
            }
        }
        return false;
    }

    /** The names of the switches some configuration source sets now. */
    public Set<String> names() {
        Set<String> names = new TreeSet<>();
        for (ConfigSource source : config.getConfigSources()) {
            for (String key : source.getPropertyNames()) {
                if (key.startsWith(PREFIX)) {
                    Matcher matcher = KEY.matcher(key);
                    if (matcher.matches()) {
                        names.add(matcher.group(1));
                    }
                }
            }
        }
        return names;
    }

    /** A percentage: a whole number from 0 to 100. */
    public static Optional<Integer> parsePercent(String text) {
        try {
            int percent = Integer.parseInt(text.trim());
            return percent >= 0 && percent <= 100 ? Optional.of(percent) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
