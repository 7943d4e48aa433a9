-- Exclusivity and idempotency that hold across nodes, enforced by the database. Portable between H2 2.x and PostgreSQL
-- (neither a partial index nor NULLS NOT DISTINCT is needed: both allow many NULLs in a UNIQUE constraint).

-- At most one RUNNING run per thread: running_thread_id holds the thread's id while the run is RUNNING and is set back
-- to NULL in the same statement that ends it, so the UNIQUE constraint admits one RUNNING run per thread whichever node
-- or code path inserts it. Backfill: of a thread's RUNNING runs only the newest takes the slot; older ones (left by a
-- node that stopped) stay RUNNING without it until their lease expires and they are reclaimed as INTERRUPTED.
ALTER TABLE agent_run ADD COLUMN running_thread_id VARCHAR(36);

UPDATE agent_run r SET running_thread_id = r.thread_id
 WHERE r.status = 'RUNNING'
   AND NOT EXISTS (SELECT 1 FROM agent_run newer
                    WHERE newer.thread_id = r.thread_id AND newer.status = 'RUNNING'
                      AND (newer.started_at > r.started_at OR (newer.started_at = r.started_at AND newer.id > r.id)));

ALTER TABLE agent_run ADD CONSTRAINT uq_agent_run_running_thread UNIQUE (running_thread_id);

-- Unique (owner, client_message_id). The owner is copied from the message's thread (a thread never changes owner).
ALTER TABLE chat_message ADD COLUMN owner_id VARCHAR(200);

UPDATE chat_message m SET owner_id = (SELECT t.owner_id FROM chat_thread t WHERE t.id = m.thread_id);

ALTER TABLE chat_message ALTER COLUMN owner_id SET NOT NULL;

-- Two nodes of the previous version could store one client_message_id twice. Every message is kept; the earliest of
-- each (owner, client_message_id) group (by created_at, then id) keeps the client id and the later ones lose it
-- (client_message_id becomes NULL), so a resend is answered with the earliest message, as it would have been then.
UPDATE chat_message m SET client_message_id = NULL
 WHERE m.client_message_id IS NOT NULL
   AND EXISTS (SELECT 1 FROM chat_message earlier
                WHERE earlier.owner_id = m.owner_id AND earlier.client_message_id = m.client_message_id
                  AND (earlier.created_at < m.created_at OR (earlier.created_at = m.created_at AND earlier.id < m.id)));

ALTER TABLE chat_message ADD CONSTRAINT uq_chat_message_client_id UNIQUE (owner_id, client_message_id);
