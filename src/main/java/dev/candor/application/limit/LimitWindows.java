package dev.candor.application.limit;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** Pure arithmetic of the limits' windows: the UTC day of a token budget and the wait until it rolls over. */
public final class LimitWindows {

    private LimitWindows() {
    }

    /** The UTC day {@code now} falls in, as {@code yyyy-MM-dd}. */
    public static String utcDay(Instant now) {
        return LocalDate.ofInstant(now, ZoneOffset.UTC).toString();
    }

    /** Milliseconds from {@code now} to the next UTC midnight, at least 1. */
    public static long untilNextUtcDay(Instant now) {
        Instant midnight = LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC)
                .toInstant();
        return Math.max(1, midnight.toEpochMilli() - now.toEpochMilli());
    }
}
