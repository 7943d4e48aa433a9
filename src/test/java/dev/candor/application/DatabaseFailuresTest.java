package dev.candor.application;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.persistence.PersistenceException;
import jakarta.resource.ResourceException;
import jakarta.transaction.RollbackException;
import jakarta.transaction.TransactionalException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import org.hibernate.exception.JDBCConnectionException;
import org.junit.jupiter.api.Test;

class DatabaseFailuresTest {

    @Test
    void connectionFailuresAreRecognisedDirectly() {
        assertTrue(DatabaseFailures.isConnectionFailure(new SQLException("refused", "08001")));
        assertTrue(DatabaseFailures.isConnectionFailure(new SQLException("gone", "08S01")));
        assertTrue(DatabaseFailures.isConnectionFailure(new SQLTransientConnectionException("timeout")));
        assertTrue(DatabaseFailures.isConnectionFailure(new SQLNonTransientConnectionException("closed")));
        assertTrue(DatabaseFailures.isConnectionFailure(new ResourceException("IJ000453: no managed connection")));
    }

    @Test
    void connectionFailuresAreFoundInTheCauseChainOfPersistenceAndTransactionFailures() {
        assertTrue(DatabaseFailures.isConnectionFailure(new PersistenceException("could not open",
                new SQLException("refused", "08001"))));
        RollbackException rollback = new RollbackException("commit failed");
        rollback.initCause(new PersistenceException(new SQLTransientConnectionException("timeout")));
        assertTrue(DatabaseFailures.isConnectionFailure(new TransactionalException("tx", rollback)));
        assertTrue(DatabaseFailures.isConnectionFailure(new PersistenceException(
                new JDBCConnectionException("could not open connection"))));
    }

    @Test
    void constraintViolationsAndBugsAreNotConnectionFailures() {
        assertFalse(DatabaseFailures.isConnectionFailure(new PersistenceException("duplicate key",
                new SQLIntegrityConstraintViolationException("unique", "23505"))));
        assertFalse(DatabaseFailures.isConnectionFailure(new SQLException("syntax", "42000")));
        assertFalse(DatabaseFailures.isConnectionFailure(new SQLException("no state")));
        assertFalse(DatabaseFailures.isConnectionFailure(new IllegalArgumentException("run 1 does not exist")));
        assertFalse(DatabaseFailures.isConnectionFailure(new TransactionalException("tx", null)));
    }

    @Test
    void aCycleInTheCauseChainEnds() {
        Exception first = new Exception("first");
        Exception second = new Exception("second", first);
        first.initCause(second);
        assertFalse(DatabaseFailures.isConnectionFailure(first));
    }

    @Test
    void aUniqueViolationIsRecognisedByItsConstraintNameOnPostgresqlAndH2() {
        SQLException postgres = new SQLException("ERROR: duplicate key value violates unique constraint "
                + "\"uq_agent_run_running_thread\"\n  Detail: Key (running_thread_id)=(t1) already exists.", "23505");
        SQLException h2 = new SQLException("Unique index or primary key violation: \"PUBLIC.UQ_AGENT_RUN_RUNNING_THREAD"
                + "_INDEX_4 ON PUBLIC.AGENT_RUN(RUNNING_THREAD_ID NULLS FIRST) VALUES ( /* 1 */ 't1' )\"", "23505");

        for (SQLException refused : new SQLException[] {postgres, h2}) {
            assertTrue(DatabaseFailures.violates(new PersistenceException(refused), "uq_agent_run_running_thread"));
            assertFalse(DatabaseFailures.violates(refused, "uq_agent_run"), "a prefix of the name is another name");
            assertFalse(DatabaseFailures.violates(refused, "uq_chat_message_client_id"));
        }
    }

    @Test
    void aUniqueViolationIsRecognisedInTheWordingOfAPostgresqlServerThatSpeaksAnotherLanguage() {
        // lc_messages = de_DE / fr_FR: the server translates the message, quotes included; the SQLState stays 23505
        SQLException german = new SQLException("FEHLER: doppelter Schl\u00fcsselwert verletzt Unique-Constraint "
                + "\u00bbuq_chat_message_client_id\u00ab\n  Detail: Schl\u00fcssel \u00bb(owner_id, client_message_id)="
                + "(alice, c1)\u00ab existiert bereits.", "23505");
        SQLException french = new SQLException("ERREUR: la valeur d'une cl\u00e9 dupliqu\u00e9e rompt la contrainte "
                + "unique \u00ab uq_agent_run_running_thread \u00bb", "23505");

        assertTrue(DatabaseFailures.violates(new PersistenceException(german), "uq_chat_message_client_id"));
        assertFalse(DatabaseFailures.violates(german, "uq_chat_message"), "a prefix of the name is another name");
        assertFalse(DatabaseFailures.violates(german, "uq_agent_run_running_thread"));
        assertTrue(DatabaseFailures.violates(new PersistenceException(french), "uq_agent_run_running_thread"));
        assertFalse(DatabaseFailures.violates(french, "running_thread"), "a suffix of the name is another name");
    }

    @Test
    void anotherStateOrNoSqlExceptionIsNoUniqueViolation() {
        assertFalse(DatabaseFailures.violates(new SQLException("violates unique constraint \"uq_x\"", "23503"),
                "uq_x"));
        assertFalse(DatabaseFailures.violates(new IllegalStateException("\"uq_x\""), "uq_x"));
    }
}
