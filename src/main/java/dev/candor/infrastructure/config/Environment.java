package dev.candor.infrastructure.config;

import java.util.Locale;

/** Where Candor runs; decides development conveniences (a local redis-server) and default time bounds. */
public enum Environment {
    DEVELOPMENT, TEST, PRODUCTION;

    public static Environment parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("candor.environment must be development, test or production, not '" + value + "'");
        }
    }

    public boolean isProduction() {
        return this == PRODUCTION;
    }
}
