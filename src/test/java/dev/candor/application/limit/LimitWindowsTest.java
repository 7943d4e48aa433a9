package dev.candor.application.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class LimitWindowsTest {

    @Test
    void theTokenBudgetDayIsTheUtcDay() {
        assertEquals("2026-11-25", LimitWindows.utcDay(Instant.parse("2026-11-25T23:59:59Z")));
        assertEquals("2026-11-26", LimitWindows.utcDay(Instant.parse("2026-11-26T00:00:00Z")));
    }

    @Test
    void waitsUntilTheNextUtcMidnight() {
        assertEquals(1_000, LimitWindows.untilNextUtcDay(Instant.parse("2026-11-25T23:59:59Z")));
        assertEquals(86_400_000, LimitWindows.untilNextUtcDay(Instant.parse("2026-11-25T00:00:00Z")));
    }
}
