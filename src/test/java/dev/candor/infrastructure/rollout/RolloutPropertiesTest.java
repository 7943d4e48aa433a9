package dev.candor.infrastructure.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RolloutPropertiesTest {

    private final List<String> warnings = new ArrayList<>();

    private Map<String, String> accept(Map<String, String> raw, Map<String, String> previous) {
        return RolloutProperties.accept(raw, previous, "rollout file test", warnings::add);
    }

    @Test
    void acceptsPercentagesAndValues() {
        assertEquals(Map.of("candor.rollout.provider.model.percent", "10",
                        "candor.rollout.provider.model.value", "gpt-next"),
                accept(Map.of("candor.rollout.provider.model.percent", " 10",
                        "candor.rollout.provider.model.value", "gpt-next "), Map.of()));
        assertEquals(List.of(), warnings);
    }

    @Test
    void aBadPercentageIsRejectedWithALineAndThePreviousValueKept() {
        Map<String, String> accepted = accept(Map.of("candor.rollout.tool.current_time.percent", "5O"),
                Map.of("candor.rollout.tool.current_time.percent", "50"));
        assertEquals(Map.of("candor.rollout.tool.current_time.percent", "50"), accepted);
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("candor.rollout.tool.current_time.percent='5O'")
                && warnings.get(0).contains("keeping 50"), warnings.get(0));
    }

    @Test
    void aBadValueWithoutAPreviousOneStaysUnset() {
        assertEquals(Map.of(), accept(Map.of("candor.rollout.init.on-demand.percent", "101",
                "candor.rollout.provider.model.value", " "), Map.of()));
        assertEquals(2, warnings.size(), warnings.toString());
        assertTrue(warnings.stream().allMatch(line -> line.contains("stays unset")), warnings.toString());
    }

    @Test
    void aKeyThatIsNoSwitchIsIgnored() {
        assertEquals(Map.of(), accept(Map.of("candor.llm.model", "other", "candor.rollout.file", "/x"), Map.of()));
        assertEquals(2, warnings.size(), warnings.toString());
    }
}
