package org.hibernate.exception;

/**
 * Test stand-in with the name of Hibernate's connection exception, which is not on the compile or test path:
 * {@code DatabaseFailures} recognises it by name.
 */
public class JDBCConnectionException extends RuntimeException {

    public JDBCConnectionException(String message) {
        super(message);
    }
}
