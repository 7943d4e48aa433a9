package dev.candor.infrastructure.rollout;

import dev.candor.application.rollout.RolloutSwitches;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;

/**
 * Checks what a runtime source says before Config may see it: a key must be a switch's
 * ({@code candor.rollout.<name>.percent} or {@code .value}), a percentage a whole number from 0 to 100, a value one
 * printable line of at most 200 characters. A rejected entry is reported and the source's previous value of that key
 * is kept (a key it never had stays unset), so a typo never switches anything.
 */
final class RolloutProperties {

    static final int MAX_VALUE_LENGTH = 200;

    private RolloutProperties() {
    }

    /**
     * The entries of {@code raw} that pass, plus the {@code previous} value of each key whose new value was rejected;
     * {@code warn} gets one line per rejected entry, naming {@code origin}.
     */
    static Map<String, String> accept(Map<String, String> raw, Map<String, String> previous, String origin,
                                      Consumer<String> warn) {
        Map<String, String> accepted = new TreeMap<>();
        raw.forEach((key, value) -> {
            Matcher matcher = RolloutSwitches.KEY.matcher(key.trim());
            if (!matcher.matches()) {
                warn.accept("ignoring '" + key + "' in the " + origin + ": a rollout switch is "
                        + "candor.rollout.<switch>.percent or candor.rollout.<switch>.value");
                return;
            }
            String problem = "percent".equals(matcher.group(2)) ? percentProblem(value) : valueProblem(value);
            if (problem == null) {
                accepted.put(key.trim(), value.trim());
                return;
            }
            String kept = previous.get(key.trim());
            if (kept != null) {
                accepted.put(key.trim(), kept);
            }
            warn.accept("rejecting " + key.trim() + "=" + printable(value) + " in the " + origin + ": " + problem
                    + (kept != null ? "; keeping " + kept : "; it stays unset"));
        });
        return accepted;
    }

    private static String percentProblem(String value) {
        return RolloutSwitches.parsePercent(value).isPresent() ? null : "a percentage is a whole number from 0 to 100";
    }

    private static String valueProblem(String value) {
        String trimmed = value.trim();
        if (trimmed.isEmpty()) {
            return "the value is empty";
        }
        if (trimmed.length() > MAX_VALUE_LENGTH) {
            return "the value is longer than " + MAX_VALUE_LENGTH + " characters";
        }
        return trimmed.chars().anyMatch(Character::isISOControl) ? "the value has control characters" : null;
    }

    private static String printable(String value) {
        String shown = value.length() > 40 ? value.substring(0, 40) + "..." : value;
        return "'" + shown.replaceAll("\\p{Cntrl}", "?") + "'";
    }
}
