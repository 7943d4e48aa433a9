package dev.candor.bench;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/** Groups what went wrong on the clients of a scenario and prints the distinct problems with their counts. */
final class Problems {

    private Problems() {
    }

    static void print(String scenario, List<ChatClient> clients) {
        Map<String, Long> counts = clients.stream().map(ChatClient::firstProblem).filter(Objects::nonNull)
                .map(p -> p.length() > 240 ? p.substring(0, 240) + " ..." : p)
                .collect(Collectors.groupingBy(p -> p, Collectors.counting()));
        if (counts.isEmpty()) {
            return;
        }
        StringBuilder out = new StringBuilder(scenario + ": client problems (first per client):");
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(8)
                .forEach(e -> out.append("\n    ").append(e.getValue()).append(" x ").append(e.getKey()));
        Progress.say(out.toString());
    }
}
