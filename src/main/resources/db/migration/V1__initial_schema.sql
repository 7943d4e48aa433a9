-- The schema as Candor created it before migrations (the former db/schema.sql, its lease columns included). A database
-- created by that version has exactly these tables: the DATABASE phase baselines it at version 1 instead of running
-- this script. Portable between H2 2.x and PostgreSQL.
CREATE TABLE chat_thread (
    id          VARCHAR(36)  PRIMARY KEY,
    owner_id    VARCHAR(200) NOT NULL,
    title       VARCHAR(200) NOT NULL,
    created_at  TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    updated_at  TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    version     BIGINT       NOT NULL DEFAULT 0
);

CREATE INDEX ix_chat_thread_owner ON chat_thread (owner_id, updated_at);

CREATE TABLE chat_message (
    id                 VARCHAR(36)     PRIMARY KEY,
    thread_id          VARCHAR(36)     NOT NULL REFERENCES chat_thread (id) ON DELETE CASCADE,
    position           INTEGER         NOT NULL,
    role               VARCHAR(16)     NOT NULL,
    content            VARCHAR(1000000) NOT NULL,
    status             VARCHAR(16)     NOT NULL,
    client_message_id  VARCHAR(200),
    run_id             VARCHAR(36),
    created_at         TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    CONSTRAINT uq_chat_message_position UNIQUE (thread_id, position)
);

CREATE TABLE agent_run (
    id                    VARCHAR(36)  PRIMARY KEY,
    thread_id             VARCHAR(36)  NOT NULL REFERENCES chat_thread (id) ON DELETE CASCADE,
    user_message_id       VARCHAR(36)  NOT NULL,
    assistant_message_id  VARCHAR(36),
    status                VARCHAR(16)  NOT NULL,
    model                 VARCHAR(200),
    finish_reason         VARCHAR(64),
    error_code            VARCHAR(64),
    input_tokens          INTEGER,
    output_tokens         INTEGER,
    started_at            TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    ended_at              TIMESTAMP(6) WITH TIME ZONE,
    -- Run leases (the node executing a run renews its lease; an expired lease means that node stopped).
    owner_node            VARCHAR(200),
    lease_until           TIMESTAMP(6) WITH TIME ZONE
);

CREATE INDEX ix_agent_run_thread ON agent_run (thread_id);

CREATE INDEX ix_agent_run_status ON agent_run (status, lease_until);
