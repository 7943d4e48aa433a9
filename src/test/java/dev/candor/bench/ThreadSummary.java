package dev.candor.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Threads of a {@code jcmd Thread.print} dump, counted by name with numbers folded ("default task-N": 32). */
final class ThreadSummary {

    private static final Pattern THREAD = Pattern.compile("^\"(.*?)\" #", Pattern.MULTILINE);

    private ThreadSummary() {
    }

    static Map<String, Long> groups(String dump) {
        Map<String, Long> counts = new TreeMap<>();
        Matcher matcher = THREAD.matcher(dump);
        while (matcher.find()) {
            counts.merge(matcher.group(1).replaceAll("\\d+", "N"), 1L, Long::sum);
        }
        return counts;
    }

    static long total(String dump) {
        return groups(dump).values().stream().mapToLong(Long::longValue).sum();
    }

    /** "132 threads: default task-N 32, ..." with the {@code top} largest groups. */
    static String describe(String dump, int top) {
        Map<String, Long> groups = groups(dump);
        long total = total(dump);
        Map<String, Long> largest = groups.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
        return total + " threads; largest groups: " + largest.entrySet().stream()
                .map(e -> "'" + e.getKey() + "' " + e.getValue()).collect(Collectors.joining(", "));
    }
}
