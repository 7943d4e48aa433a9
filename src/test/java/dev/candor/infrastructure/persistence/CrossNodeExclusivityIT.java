package dev.candor.infrastructure.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.application.CandorException;
import dev.candor.application.DatabaseFailures;
import dev.candor.application.ErrorCode;
import dev.candor.application.agent.AgentSupervisor;
import dev.candor.application.chat.ChatService;
import dev.candor.application.chat.TurnResult;
import dev.candor.application.startup.StartupService;
import dev.candor.application.tracing.TurnTrace;
import dev.candor.domain.run.AgentRun;
import dev.candor.domain.run.RunRepository;
import dev.candor.domain.thread.ChatMessage;
import dev.candor.domain.thread.ChatThread;
import dev.candor.domain.thread.MessageRole;
import dev.candor.domain.thread.MessageStatus;
import dev.candor.domain.thread.ThreadRepository;
import dev.candor.testsupport.Deployments;
import dev.candor.testsupport.Eventually;
import dev.candor.testsupport.Rows;
import dev.candor.testsupport.llm.LlmProviderStub;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What holds across nodes because the database holds it, on the deployed server (the build runs it on H2 and on
 * PostgreSQL): one RUNNING run per thread and one message per (owner, client_message_id), refused through the
 * repositories whatever code path inserts; and the loser of a race in ChatService, whose rival's row is written by
 * "another node" (a transaction of this test, committed once ChatService waits on it), gets THREAD_BUSY or the
 * duplicate, as on one node.
 */
@ExtendWith(ArquillianExtension.class)
class CrossNodeExclusivityIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Deployment
    static WebArchive deployment() {
        return Deployments.candor(Deployments.withStub(LlmProviderStub.shared()));
    }

    @Inject
    StartupService startup;

    @Inject
    ThreadRepository threads;

    @Inject
    RunRepository runs;

    @Inject
    ChatService chat;

    @Inject
    AgentSupervisor supervisor;

    @Resource(lookup = "java:jboss/datasources/CandorDS")
    DataSource dataSource;

    @Resource(lookup = "java:comp/DefaultManagedExecutorService")
    ManagedExecutorService executor;

    @BeforeEach
    void ready() {
        assertTrue(startup.ensureInitialized().complete(), startup.report().toString());
    }

    @Test
    void theDatabaseRefusesASecondRunningRunOnAThreadUntilTheFirstEnds() {
        ChatThread thread = threads.create("owner-" + UUID.randomUUID(), "runs");
        Instant lease = Instant.now().plusSeconds(60);
        runs.start(id(), thread.id(), id(), "node-a", lease);
        String first = runs.findRunning(thread.id()).orElseThrow().id();

        RuntimeException refused = assertThrows(RuntimeException.class,
                () -> runs.start(id(), thread.id(), id(), "node-b", lease));
        assertTrue(DatabaseFailures.violates(refused, AgentRun.ONE_RUNNING_PER_THREAD), describe(refused));
        assertFalse(DatabaseFailures.violates(refused, ChatMessage.UNIQUE_CLIENT_MESSAGE_ID), describe(refused));

        runs.failed(first, "LLM_UNAVAILABLE"); // an ending frees the thread in the same statement
        String second = id();
        runs.start(second, thread.id(), id(), "node-b", Instant.now().minusSeconds(1));
        assertEquals(second, runs.findRunning(thread.id()).orElseThrow().id());
        assertTrue(runs.interrupt(second, null, Instant.now(), Duration.ofSeconds(30)), "reclaimed: lease expired");
        String third = id();
        runs.start(third, thread.id(), id(), "node-a", lease);
        assertEquals(third, runs.findRunning(thread.id()).orElseThrow().id());
    }

    @Test
    void theDatabaseRefusesASecondMessageWithTheOwnersClientMessageId() {
        String owner = "owner-" + UUID.randomUUID();
        ChatThread thread = threads.create(owner, "messages");
        threads.append(thread.id(), MessageRole.USER, "first", MessageStatus.COMPLETE, "client-1", null);

        RuntimeException refused = assertThrows(RuntimeException.class, () -> threads.append(thread.id(),
                MessageRole.USER, "again", MessageStatus.COMPLETE, "client-1", null));
        assertTrue(DatabaseFailures.violates(refused, ChatMessage.UNIQUE_CLIENT_MESSAGE_ID), describe(refused));
        assertFalse(DatabaseFailures.violates(refused, AgentRun.ONE_RUNNING_PER_THREAD), describe(refused));

        ChatThread others = threads.create("other-" + UUID.randomUUID(), "someone else's");
        threads.append(others.id(), MessageRole.USER, "theirs", MessageStatus.COMPLETE, "client-1", null);
        threads.append(thread.id(), MessageRole.ASSISTANT, "no client id", MessageStatus.COMPLETE, null, null);
        threads.append(thread.id(), MessageRole.ASSISTANT, "none either", MessageStatus.COMPLETE, null, null);
        assertEquals(3, threads.messages(thread.id()).size());
        assertEquals(owner, threads.messages(thread.id()).get(0).ownerId());
    }

    @Test
    void aTurnThatLosesItsThreadToAnotherNodeGetsThreadBusyAndLeavesNothing() throws Exception {
        String owner = "owner-" + UUID.randomUUID();
        ChatThread thread = threads.create(owner, "busy elsewhere");
        String rival = id();
        int activeBefore = supervisor.activeRunCount();
        try (Connection otherNode = dataSource.getConnection()) {
            otherNode.setAutoCommit(false);
            insertRunningRun(otherNode, rival, thread.id(), id());
            Future<TurnResult> turn = executor.submit(() -> chat.send("conn-" + id(), owner, "hello", thread.id(),
                    "client-" + id(), TurnTrace.none()));
            assertTrue(Eventually.within(WAIT, this::someoneWaitsOnALock), "the turn never waited on the rival's row");
            otherNode.commit();

            ExecutionException failed = assertThrows(ExecutionException.class, () -> turn.get(30, TimeUnit.SECONDS));
            CandorException busy = assertInstanceOf(CandorException.class, failed.getCause(), describe(failed));
            assertEquals(ErrorCode.THREAD_BUSY, busy.code());
        }
        assertTrue(threads.messages(thread.id()).isEmpty(), "the loser's message was not stored");
        assertEquals(rival, runs.findRunning(thread.id()).orElseThrow().id());
        assertTrue(Eventually.within(WAIT, () -> supervisor.activeRunCount() == activeBefore), "the run was abandoned");
        assertTrue(supervisor.claimThread(owner, thread.id()), "the loser released the thread on this node");
        supervisor.releaseThread(owner, thread.id());
    }

    @Test
    void aTurnThatLosesItsClientMessageIdToAnotherNodeGetsTheDuplicate() throws Exception {
        String owner = "owner-" + UUID.randomUUID();
        String clientId = "client-" + id();
        String rivalThread = id();
        String rivalMessage = id();
        String rivalRun = id();
        int activeBefore = supervisor.activeRunCount();
        try (Connection otherNode = dataSource.getConnection()) {
            otherNode.setAutoCommit(false);
            Instant now = Instant.now();
            Rows.write(otherNode, "INSERT INTO chat_thread (id, owner_id, title, created_at, updated_at) "
                    + "VALUES (?, ?, 'hello', ?, ?)", rivalThread, owner, now, now);
            Rows.write(otherNode, "INSERT INTO chat_message (id, thread_id, owner_id, position, role, content, status, "
                    + "client_message_id, created_at) VALUES (?, ?, ?, 0, 'USER', 'hello', 'COMPLETE', ?, ?)",
                    rivalMessage, rivalThread, owner, clientId, now);
            insertRunningRun(otherNode, rivalRun, rivalThread, rivalMessage);
            Future<TurnResult> turn = executor.submit(() -> chat.send("conn-" + id(), owner, "hello", null,
                    clientId, TurnTrace.none()));
            assertTrue(Eventually.within(WAIT, this::someoneWaitsOnALock), "the turn never waited on the rival's row");
            otherNode.commit();

            TurnResult result = turn.get(30, TimeUnit.SECONDS);
            assertEquals(new TurnResult.Duplicate(clientId, rivalMessage, rivalThread, rivalRun), result);
        }
        assertEquals(1, threads.list(owner, 0, 10).size(), "the loser's new thread was not stored");
        assertTrue(Eventually.within(WAIT, () -> supervisor.activeRunCount() == activeBefore), "the run was abandoned");
    }

    /** Another node's RUNNING run, holding the thread's slot, in that node's open transaction. */
    private static void insertRunningRun(Connection otherNode, String runId, String threadId, String userMessageId)
            throws SQLException {
        Rows.write(otherNode, "INSERT INTO agent_run (id, thread_id, user_message_id, status, running_thread_id, "
                + "started_at, owner_node, lease_until) VALUES (?, ?, ?, 'RUNNING', ?, ?, 'node-b', ?)", runId,
                threadId, userMessageId, threadId, Instant.now(), Instant.now().plusSeconds(60));
    }

    /**
     * A session of the database waits on another's lock (the turn waits on the rival's uncommitted row). H2 names no
     * blocker for a row lock, but an insert still executing is one that waits: inserts take microseconds otherwise.
     */
    private boolean someoneWaitsOnALock() {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            boolean postgres = connection.getMetaData().getDatabaseProductName().equals("PostgreSQL");
            try (ResultSet rows = statement.executeQuery(postgres
                    ? "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                    : "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS "
                    + "WHERE LOWER(EXECUTING_STATEMENT) LIKE 'insert into %'")) {
                return rows.next() && rows.getInt(1) > 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String describe(Throwable e) {
        StringBuilder chain = new StringBuilder();
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            chain.append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage()).append(" <- ");
        }
        return chain.toString();
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }
}
