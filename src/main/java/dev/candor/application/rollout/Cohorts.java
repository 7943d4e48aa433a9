package dev.candor.application.rollout;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The cohort a user is in, for comparing the two groups of a rollout (the {@code cohort} tag of the run meters):
 * {@code candidate} when the user falls inside the percentage of any switch being rolled out now (0 &lt; percent &lt;
 * 100), else {@code baseline}. It follows the switches: a user moves back to baseline when a rollout ends at 0 or 100.
 */
@ApplicationScoped
public class Cohorts {

    public static final String BASELINE = "baseline";
    public static final String CANDIDATE = "candidate";

    @Inject
    RolloutSwitches switches;

    /** {@code candidate} or {@code baseline}; a user not known (null) is baseline. */
    public String of(String userId) {
        return userId != null && switches.candidate(userId) ? CANDIDATE : BASELINE;
    }
}
