package dev.candor.infrastructure.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** The migrations on H2 (the version WildFly ships), in memory, no server. MigrationPostgresIT: the same on PostgreSQL. */
class MigrationTest extends MigrationScenarios {

    @Override
    DataSource freshDatabase(String name) {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:" + name + "-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        h2.setPassword("sa");
        return h2;
    }

    @Test
    void everyScriptInTheMigrationFolderIsListed() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/main/resources", MigrationScripts.LOCATION))) {
            assertEquals(files.map(f -> f.getFileName().toString()).sorted().toList(), MigrationScripts.NAMES);
        }
    }
}
