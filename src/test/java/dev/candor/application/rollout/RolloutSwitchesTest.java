package dev.candor.application.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.testsupport.SourcesConfig;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RolloutSwitchesTest {

    private static RolloutSwitches switches(Map<String, String> values) {
        return new RolloutSwitches(SourcesConfig.of(values));
    }

    /** A user id whose bucket of {@code name} is below (inside) or at least (outside) {@code percent}. */
    static String user(String name, int percent, boolean inside) {
        return IntStream.range(0, 10_000).mapToObj(i -> "user-" + i)
                .filter(id -> CohortHash.bucket(name, id) < percent == inside).findFirst().orElseThrow();
    }

    @Test
    void nothingConfiguredKeepsTodaysBehaviour() {
        RolloutSwitches none = switches(Map.of());
        assertTrue(none.on(RolloutSwitches.INIT_ON_DEMAND, "alice", 100));
        assertTrue(none.on(RolloutSwitches.tool("current_time"), "alice", 100));
        assertEquals(Optional.empty(), none.value(RolloutSwitches.PROVIDER_MODEL, "alice"));
        assertFalse(none.candidate("alice"));
    }

    @Test
    void aModelIsGivenToTheUsersInsideItsPercentageOnly() {
        RolloutSwitches tenPercent = switches(Map.of("candor.rollout.provider.model.percent", "10",
                "candor.rollout.provider.model.value", "gpt-next"));
        String inside = user("provider.model", 10, true);
        String outside = user("provider.model", 10, false);
        assertEquals(Optional.of("gpt-next"), tenPercent.value(RolloutSwitches.PROVIDER_MODEL, inside));
        assertEquals(Optional.empty(), tenPercent.value(RolloutSwitches.PROVIDER_MODEL, outside));
        assertTrue(tenPercent.candidate(inside));
        assertFalse(tenPercent.candidate(outside));
        assertEquals(Optional.empty(), switches(Map.of("candor.rollout.provider.model.value", "gpt-next"))
                .value(RolloutSwitches.PROVIDER_MODEL, inside), "a value without a percentage is for nobody");
    }

    @Test
    void theCandidatesOfAToolSwitchAreTheUsersItTakesTheToolFromAndInitOnDemandMakesNoCandidate() {
        RolloutSwitches ninety = switches(Map.of("candor.rollout.tool.current_time.percent", "90"));
        assertTrue(ninety.candidate(user("tool.current_time", 90, false)), "the 10% without the tool");
        assertFalse(ninety.candidate(user("tool.current_time", 90, true)), "the 90% who keep it");
        RolloutSwitches onDemand = switches(Map.of("candor.rollout.init.on-demand.percent", "50"));
        assertFalse(onDemand.candidate(user(RolloutSwitches.INIT_ON_DEMAND, 50, true)));
        assertFalse(onDemand.candidate(user(RolloutSwitches.INIT_ON_DEMAND, 50, false)));
    }

    @Test
    void aSwitchAtZeroOrHundredIsNotBeingRolledOut() {
        String anyone = "alice";
        assertFalse(switches(Map.of("candor.rollout.tool.current_time.percent", "0")).candidate(anyone));
        assertFalse(switches(Map.of("candor.rollout.tool.current_time.percent", "100")).candidate(anyone));
        assertFalse(switches(Map.of("candor.rollout.tool.current_time.percent", "0"))
                .on(RolloutSwitches.tool("current_time"), anyone, 100));
    }

    @Test
    void aBadPercentageInAStaticSourceCountsAsUnset() {
        RolloutSwitches bad = switches(Map.of("candor.rollout.init.on-demand.percent", "150"));
        assertEquals(100, bad.percent(RolloutSwitches.INIT_ON_DEMAND, 100));
        assertEquals(7, switches(Map.of("candor.rollout.init.on-demand.percent", " 7 "))
                .percent(RolloutSwitches.INIT_ON_DEMAND, 100));
    }

    @Test
    void theCohortIsCandidateForTheUsersASwitchBeingRolledOutGivesSomethingNew() {
        Cohorts cohorts = new Cohorts();
        cohorts.switches = switches(Map.of("candor.rollout.tool.current_time.percent", "30",
                "candor.rollout.init.on-demand.percent", "100"));
        assertEquals(Cohorts.CANDIDATE, cohorts.of(user("tool.current_time", 30, false)), "without the tool");
        assertEquals(Cohorts.BASELINE, cohorts.of(user("tool.current_time", 30, true)), "with it, as by default");
        assertEquals(Cohorts.BASELINE, cohorts.of(null));
    }
}
