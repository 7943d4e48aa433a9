package dev.candor.infrastructure.persistence;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;

/** Creates the tables that are missing, with the portable, idempotent statements of db/schema.sql. */
@ApplicationScoped
public class SchemaManager {

    static final String SCHEMA = "db/schema.sql";

    @Resource(lookup = "java:jboss/datasources/CandorDS")
    DataSource dataSource;

    public void ensureSchema() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(30);
            for (String sql : statements()) {
                statement.execute(sql);
            }
        }
    }

    /** A bounded round trip on a pooled connection. */
    public void ping(int timeoutSeconds) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            if (!connection.isValid(timeoutSeconds)) {
                throw new SQLException("the database did not answer within " + timeoutSeconds + " s");
            }
        }
    }

    static List<String> statements() {
        try (InputStream in = SchemaManager.class.getClassLoader().getResourceAsStream(SCHEMA)) {
            if (in == null) {
                throw new IllegalStateException(SCHEMA + " is missing from the deployment");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return Arrays.stream(text.split("(?m)^;\\s*$"))
                    .map(s -> s.replaceAll("(?m)^--.*$", "").trim())
                    .filter(s -> !s.isEmpty())
                    .toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + SCHEMA, e);
        }
    }
}
