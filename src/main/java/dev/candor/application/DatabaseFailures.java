package dev.candor.application;

import jakarta.resource.ResourceException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Set;

/**
 * Tells a failure to reach the database (worth trying again once it is back) from any other failure of a store (a
 * constraint, a bug: trying again cannot help). Hibernate is not on the compile path, so its connection exception is
 * recognised by name.
 */
public final class DatabaseFailures {

    private static final String HIBERNATE_CONNECTION = "org.hibernate.exception.JDBCConnectionException";
    private static final String UNIQUE_VIOLATION = "23505";

    private DatabaseFailures() {
    }

    /**
     * True when {@code failure} or anything in its cause chain is about reaching the database: SQLState class 08, a
     * JDBC connection exception, Hibernate's JDBCConnectionException or a JCA ResourceException (no pooled connection).
     */
    public static boolean isConnectionFailure(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable cause = failure; cause != null && seen.add(cause); cause = cause.getCause()) {
            if (isConnectionType(cause)) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when {@code failure} or anything in its cause chain is the database refusing a row because it would break
     * the UNIQUE constraint {@code constraint}: SQLState 23505, whose message names the constraint on PostgreSQL
     * ({@code violates unique constraint "name"}) and the constraint's index on H2
     * ({@code "PUBLIC.NAME_INDEX_x ON ..."}).
     */
    public static boolean violates(Throwable failure, String constraint) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        String name = constraint.toLowerCase(Locale.ROOT);
        for (Throwable cause = failure; cause != null && seen.add(cause); cause = cause.getCause()) {
            if (cause instanceof SQLException sql
                    && (isViolation(sql, name) || isViolation(sql.getNextException(), name))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isViolation(SQLException sql, String name) {
        return sql != null && UNIQUE_VIOLATION.equals(sql.getSQLState()) && sql.getMessage() != null
                && mentions(sql.getMessage().toLowerCase(Locale.ROOT), name);
    }

    /**
     * {@code name} as a whole identifier, whatever quotes surround it: PostgreSQL quotes it in its server's language
     * ({@code "name"}, {@code »name«}, {@code « name »}), H2 follows it with {@code _INDEX_}.
     */
    private static boolean mentions(String message, String name) {
        for (int at = message.indexOf(name); at >= 0; at = message.indexOf(name, at + 1)) {
            int end = at + name.length();
            boolean starts = at == 0 || !isIdentifierPart(message.charAt(at - 1));
            boolean ends = end == message.length() || !isIdentifierPart(message.charAt(end))
                    || message.startsWith("_index_", end);
            if (starts && ends) {
                return true;
            }
        }
        return false;
    }

    private static boolean isIdentifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    private static boolean isConnectionType(Throwable cause) {
        if (cause instanceof SQLTransientConnectionException || cause instanceof SQLNonTransientConnectionException
                || cause instanceof ResourceException) {
            return true;
        }
        if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
            return true;
        }
        for (Class<?> type = cause.getClass(); type != null; type = type.getSuperclass()) {
            if (type.getName().equals(HIBERNATE_CONNECTION)) {
                return true;
            }
        }
        return false;
    }
}
