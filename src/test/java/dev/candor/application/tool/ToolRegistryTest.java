package dev.candor.application.tool;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.application.rollout.RolloutSwitches;
import dev.candor.testsupport.SourcesConfig;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ToolRegistryTest {

    private static Tool limitedTo(Set<String> groups) {
        return new Tool() {
            public String name() {
                return "files__delete";
            }

            public String description() {
                return "deletes";
            }

            public JsonObject parameters() {
                return JsonValue.EMPTY_JSON_OBJECT;
            }

            public String execute(JsonObject arguments, String ownerId) {
                return "deleted";
            }

            @Override
            public Set<String> groups() {
                return groups;
            }
        };
    }

    @Test
    void aToolOfGroupsIsForTheirMembersOnly() {
        ToolRegistry registry = new ToolRegistry();
        registry.rollout = new RolloutSwitches(SourcesConfig.of(Map.of()));
        registry.userGroups("alice", Set.of("ops", "staff"));
        registry.userGroups("bob", Set.of("staff"));

        Tool ops = limitedTo(Set.of("ops", "admins"));
        assertTrue(registry.allows(ops, "alice"));
        assertFalse(registry.allows(ops, "bob"));
        assertFalse(registry.allows(ops, "carol"), "a user whose groups are not known yet");
        assertTrue(registry.allows(limitedTo(Set.of()), "carol"), "a tool of no group is for everyone");

        registry.userGroups("bob", Set.of("admins"));
        assertTrue(registry.allows(ops, "bob"), "bob's newer credential");
    }

    @Test
    void aToolSwitchedOffIsNotOfferedEvenToItsGroups() {
        ToolRegistry registry = new ToolRegistry();
        registry.rollout = new RolloutSwitches(SourcesConfig.of(Map.of("candor.rollout.tool.files__delete.percent",
                "0")));
        registry.userGroups("alice", Set.of("ops"));
        assertFalse(registry.allows(limitedTo(Set.of()), "alice"));
        assertFalse(registry.allows(limitedTo(Set.of("ops")), "alice"));

        registry.rollout = new RolloutSwitches(SourcesConfig.of(Map.of("candor.rollout.tool.files__delete.percent",
                "100")));
        assertTrue(registry.allows(limitedTo(Set.of("ops")), "alice"));
    }
}
