package dev.candor.infrastructure.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** The migrations on H2 (the version WildFly ships), in memory, no server. MigrationPostgresIT: the same on PostgreSQL. */
class MigrationTest extends MigrationScenarios {

    @Override
    boolean migratesAllUnderOneLock() {
        return false;
    }

    @Override
    DataSource freshDatabase(String name) {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:" + name + "-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        h2.setPassword("sa");
        return h2;
    }

    @Test
    void aMigrationThatCannotProceedFailsThePhaseWithOneLineThatSaysWhatToDo() throws Exception {
        DataSource db = freshDatabase("tampered");
        migrator(db).migrate();
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("UPDATE \"flyway_schema_history\" SET \"checksum\" = 42 WHERE \"version\" = '2'");
        }

        SQLException failed = assertThrows(SQLException.class, () -> migrator(db).migrate());

        assertTrue(failed.getMessage().startsWith("The database schema could not be migrated"), failed.getMessage());
        assertTrue(failed.getMessage().contains("checksum mismatch"), failed.getMessage());
        assertFalse(failed.getMessage().contains("\n"), failed.getMessage());
        assertTrue(failed.getMessage().contains("flyway_schema_history"), failed.getMessage());
    }

    @Test
    void everyScriptInTheMigrationFolderIsListed() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/main/resources", MigrationScripts.LOCATION))) {
            assertEquals(files.map(f -> f.getFileName().toString()).sorted().toList(), MigrationScripts.NAMES);
        }
    }
}
