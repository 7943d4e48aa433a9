package dev.candor.bench;

import dev.candor.application.startup.Phase;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Run counts of the startup phases, read from the {@code /health/started} data ("READY runs=1 ms=41"). */
final class PhaseRuns {

    private static final Pattern RUNS = Pattern.compile("runs=(\\d+)");

    private PhaseRuns() {
    }

    static int runs(Map<String, String> phases, Phase phase) {
        Matcher matcher = RUNS.matcher(phases.getOrDefault(phase.name(), ""));
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : -1;
    }

    static boolean eachOnce(Map<String, String> phases) {
        return Arrays.stream(Phase.values()).allMatch(p -> runs(phases, p) == 1);
    }

    /** "DEPENDENCIES 1, DATABASE 1, ...". */
    static String describe(Map<String, String> phases) {
        return Arrays.stream(Phase.values()).map(p -> p.name() + " " + runs(phases, p))
                .collect(Collectors.joining(", "));
    }
}
