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
}
