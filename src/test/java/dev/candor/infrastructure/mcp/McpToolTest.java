package dev.candor.infrastructure.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class McpToolTest {

    @Test
    void joinsServerAndToolWithTwoUnderscoresAndReplacesWhatModelsRefuse() {
        assertEquals("everything__get-sum", McpTool.wireName("everything", "get-sum"));
        assertEquals("github__repos_create_issue", McpTool.wireName("github", "repos.create/issue"));
    }

    @Test
    void theConfigurationDecidesApprovalElseTheAnnotations() {
        Map<String, Object> readOnly = Map.of("readOnlyHint", true, "destructiveHint", false);
        Map<String, Object> acting = Map.of("readOnlyHint", false);
        Map<String, Object> destructive = Map.of("readOnlyHint", true, "destructiveHint", true);

        assertFalse(McpTool.needsApproval(null, readOnly));
        assertFalse(McpTool.needsApproval(null, Map.of()));
        assertTrue(McpTool.needsApproval(null, acting));
        assertTrue(McpTool.needsApproval(null, destructive));
        assertTrue(McpTool.needsApproval(McpServerConfig.Approval.REQUIRED, readOnly));
        assertFalse(McpTool.needsApproval(McpServerConfig.Approval.NEVER, destructive));
    }
}
