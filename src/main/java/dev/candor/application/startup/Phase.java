package dev.candor.application.startup;

/** The startup phases, in the order they run. */
public enum Phase {
    DEPENDENCIES, DATABASE, CACHE, SERVICES, WEBSOCKET, VALIDATION, FINALIZE;

    public static int total() {
        return values().length;
    }

    /** 1-based position, as in "phase 3/7". */
    public int number() {
        return ordinal() + 1;
    }
}
