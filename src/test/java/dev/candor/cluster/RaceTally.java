package dev.candor.cluster;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The outcomes of many races, counted, with the first few that went wrong kept for the failure message. */
final class RaceTally {

    private final Map<Race.Outcome, Integer> outcomes = new EnumMap<>(Race.Outcome.class);
    private final List<Race> wrong = new ArrayList<>();
    private int runs;

    void add(Race race) {
        Race.Outcome outcome = race.outcome();
        outcomes.merge(outcome, 1, Integer::sum);
        runs += race.runs();
        boolean expected = outcome == Race.Outcome.ONE_RUN_THREAD_BUSY || outcome == Race.Outcome.ONE_RUN_DUPLICATE;
        if (!expected && wrong.size() < 3) {
            wrong.add(race);
        }
    }

    /** Runs started in all. */
    int runs() {
        return runs;
    }

    int busy() {
        return outcomes.getOrDefault(Race.Outcome.ONE_RUN_THREAD_BUSY, 0);
    }

    int duplicates() {
        return outcomes.getOrDefault(Race.Outcome.ONE_RUN_DUPLICATE, 0);
    }

    int overlapping() {
        return outcomes.getOrDefault(Race.Outcome.TWO_RUNS_AT_ONCE, 0);
    }

    int other() {
        return outcomes.getOrDefault(Race.Outcome.OTHER, 0);
    }

    @Override
    public String toString() {
        return outcomes + ", " + runs + " runs" + (wrong.isEmpty() ? "" : "; first unexpected: " + wrong);
    }
}
