package dev.candor.application.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CohortHashTest {

    private static final int USERS = 10_000;
    private static final int FIXED_ALICE = 29;
    private static final int FIXED_BOB = 32;
    private static final int FIXED_TOOL = 92;

    @Test
    void aUserKeepsTheSameBucketOnEveryNodeAndAfterRestarts() {
        // Fixed values (also what python3 hashlib gives for the documented formula): a change of the hashing would
        // move users between cohorts in the middle of a rollout.
        assertEquals(CohortHash.bucket("provider.model", "alice"), CohortHash.bucket("provider.model", "alice"));
        assertEquals(FIXED_ALICE, CohortHash.bucket("provider.model", "alice"));
        assertEquals(FIXED_BOB, CohortHash.bucket("provider.model", "bob"));
        assertEquals(FIXED_TOOL, CohortHash.bucket("tool.current_time", "user-42"));
    }

    @Test
    void aPercentageHoldsCloseToThatShareOfUsers() {
        for (int percent : new int[] {1, 10, 50, 90}) {
            int inside = 0;
            for (int i = 0; i < USERS; i++) {
                if (CohortHash.inside("provider.model", "user-" + i, percent)) {
                    inside++;
                }
            }
            double share = inside * 100.0 / USERS;
            assertTrue(Math.abs(share - percent) < 1.5, percent + "% of users was " + share + "%");
        }
    }

    @Test
    void bucketsAreSpreadOverAllHundredValues() {
        int[] counts = new int[100];
        for (int i = 0; i < USERS; i++) {
            counts[CohortHash.bucket("tool.search_conversations", "user-" + i)]++;
        }
        for (int bucket = 0; bucket < 100; bucket++) {
            assertTrue(counts[bucket] > 60 && counts[bucket] < 140, "bucket " + bucket + " holds " + counts[bucket]);
        }
    }

    @Test
    void theCohortsOfTwoSwitchesAreIndependent() {
        int both = 0;
        int first = 0;
        int second = 0;
        for (int i = 0; i < USERS; i++) {
            boolean a = CohortHash.inside("provider.model", "user-" + i, 10);
            boolean b = CohortHash.inside("tool.current_time", "user-" + i, 10);
            first += a ? 1 : 0;
            second += b ? 1 : 0;
            both += a && b ? 1 : 0;
        }
        // Independent: about 10% of 10% (100 users); the same salt would put the same ~1,000 users in both.
        assertTrue(first > 900 && second > 900, first + " and " + second);
        assertTrue(both > 60 && both < 140, both + " users fall inside 10% of both switches");
    }

    @Test
    void zeroIsNobodyAndHundredIsEverybodyIncludingAUserNotKnownYet() {
        assertFalse(CohortHash.inside("init.on-demand", "alice", 0));
        assertTrue(CohortHash.inside("init.on-demand", "alice", 100));
        assertTrue(CohortHash.inside("init.on-demand", null, 100));
        assertFalse(CohortHash.inside("init.on-demand", null, 99));
    }
}
