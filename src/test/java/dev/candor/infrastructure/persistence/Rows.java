package dev.candor.infrastructure.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** Rows written with plain JDBC, as another node (or the previous version) would write them. */
final class Rows {

    private Rows() {
    }

    /** Runs {@code sql} with {@code values} bound in order (an {@link java.time.Instant} as a timestamp). */
    static int write(Connection connection, String sql, Object... values) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                Object value = values[i] instanceof java.time.Instant instant ? java.sql.Timestamp.from(instant)
                        : values[i];
                statement.setObject(i + 1, value);
            }
            return statement.executeUpdate();
        }
    }
}
