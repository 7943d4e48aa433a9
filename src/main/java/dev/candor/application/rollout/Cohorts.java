package dev.candor.application.rollout;

import jakarta.enterprise.context.ApplicationScoped;

/** The rollout cohort of a user, a tag on the run metrics so that the two groups can be compared. */
@ApplicationScoped
public class Cohorts {

    public static final String BASELINE = "baseline";
    public static final String CANDIDATE = "candidate";

    /** "baseline" for everyone, until a rollout switch places the user. */
    public String of(String userId) {
        return BASELINE;
    }
}
