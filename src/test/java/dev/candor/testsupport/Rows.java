package dev.candor.testsupport;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/** Rows written with plain JDBC, as another node (or the previous version) would write them. */
public final class Rows {

    private Rows() {
    }

    /** Runs {@code sql} with {@code values} bound in order (an {@link Instant} as a timestamp). */
    public static int write(Connection connection, String sql, Object... values) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setObject(i + 1, values[i] instanceof Instant instant ? Timestamp.from(instant) : values[i]);
            }
            return statement.executeUpdate();
        }
    }
}
