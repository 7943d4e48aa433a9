package dev.candor.application.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ToolApprovalTest {

    private final List<ToolApproval.Decision> decisions = new ArrayList<>();
    private int ends;

    @Test
    void theFirstAnswerForItsCallDecidesOnce() {
        ToolApproval approval = new ToolApproval("c1", 1_000, decisions::add, () -> ends++);

        assertFalse(approval.answer("c2", true), "an answer for another call");
        assertTrue(approval.answer("c1", false));
        assertFalse(approval.answer("c1", true));
        assertTrue(approval.check(2_000));
        assertEquals(List.of(ToolApproval.Decision.REFUSED), decisions);
        assertEquals(1, ends, "the end of the wait was not reported once");
    }

    @Test
    void timesOutAtItsBoundUnlessAnswered() {
        ToolApproval approval = new ToolApproval("c1", 1_000, decisions::add, () -> ends++);

        assertFalse(approval.check(999));
        assertTrue(approval.check(1_000));
        assertFalse(approval.answer("c1", true), "answered after the timeout");
        assertEquals(List.of(ToolApproval.Decision.TIMED_OUT), decisions);
        assertEquals(1, ends);
    }

    @Test
    void aCancelledWaitDecidesNothing() {
        ToolApproval approval = new ToolApproval("c1", 1_000, decisions::add, () -> ends++);
        approval.cancel();
        approval.cancel();

        assertFalse(approval.answer("c1", true));
        assertTrue(approval.check(5_000));
        assertEquals(List.of(), decisions);
        assertEquals(1, ends, "a cancelled wait did not report its end once");
    }
}
