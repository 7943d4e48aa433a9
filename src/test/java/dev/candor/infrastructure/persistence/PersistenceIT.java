package dev.candor.infrastructure.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.application.startup.Phase;
import dev.candor.application.startup.PhaseState;
import dev.candor.application.startup.StartupService;
import dev.candor.domain.thread.ChatMessage;
import dev.candor.domain.thread.ChatThread;
import dev.candor.domain.thread.MessageRole;
import dev.candor.domain.thread.MessageStatus;
import dev.candor.domain.thread.ThreadRepository;
import dev.candor.testsupport.Deployments;
import dev.candor.testsupport.llm.LlmProviderStub;
import jakarta.annotation.Resource;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.api.output.MigrateResult;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The schema and the repository on the server's CandorDS. The build runs this class twice: on the default server
 * (embedded H2) and on target/server-pg (a real PostgreSQL).
 */
@ExtendWith(ArquillianExtension.class)
class PersistenceIT {

    @Deployment
    static WebArchive deployment() {
        return Deployments.candor(Deployments.withStub(LlmProviderStub.shared()));
    }

    @Inject
    StartupService startup;

    @Inject
    ThreadRepository threads;

    @Inject
    SchemaManager schema;

    @Resource(lookup = "java:jboss/datasources/CandorDS")
    DataSource dataSource;

    @BeforeEach
    void databaseIsReady() {
        startup.ensureInitialized();
        assertEquals(PhaseState.READY, startup.report().get(Phase.DATABASE).state(), startup.report().toString());
    }

    @Test
    void runsOnTheDatabaseTheBuildConfigured() throws Exception {
        String expected = System.getenv("CANDOR_DB_URL") != null ? "PostgreSQL" : "H2";
        try (Connection connection = dataSource.getConnection()) {
            assertEquals(expected, connection.getMetaData().getDatabaseProductName());
        }
    }

    @Test
    void storesMessagesInThreadOrderAndKeepsThemWhole() {
        String owner = "owner-" + UUID.randomUUID();
        ChatThread thread = threads.create(owner, "A thread");
        String longAnswer = "x".repeat(100_000) + " ünïcødé ✓";
        threads.append(thread.id(), MessageRole.USER, "first question", MessageStatus.COMPLETE, "client-1", null);
        threads.append(thread.id(), MessageRole.ASSISTANT, longAnswer, MessageStatus.COMPLETE, null, null);
        threads.append(thread.id(), MessageRole.ASSISTANT, "cut sho", MessageStatus.UNFINISHED, null, null);

        List<ChatMessage> messages = threads.messages(thread.id());
        assertEquals(List.of(0, 1, 2), messages.stream().map(ChatMessage::position).toList());
        assertEquals("first question", messages.get(0).content());
        assertEquals("client-1", messages.get(0).clientMessageId());
        assertEquals(longAnswer, messages.get(1).content());
        assertEquals(MessageStatus.UNFINISHED, messages.get(2).status());
    }

    @Test
    void aThreadIsFoundOnlyByItsOwner() {
        ChatThread thread = threads.create("alice-" + UUID.randomUUID(), "Alice's");

        assertTrue(threads.find(thread.id(), thread.ownerId()).isPresent());
        assertTrue(threads.find(thread.id(), "mallory").isEmpty());
    }

    @Test
    void migratingAgainFindsNothingPendingAtTheNewestVersion() throws Exception {
        MigrateResult again = schema.migrate();

        assertEquals(0, again.migrationsExecuted);
        assertEquals(String.valueOf(MigrationScripts.NAMES.size()), again.targetSchemaVersion == null
                ? again.initialSchemaVersion : again.targetSchemaVersion);
        threads.verifyStorage();
    }
}
