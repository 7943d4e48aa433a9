package dev.candor.application.startup.phase;

import dev.candor.application.startup.Phase;
import dev.candor.application.startup.StartupPhase;
import dev.candor.domain.thread.ThreadRepository;
import dev.candor.infrastructure.persistence.SchemaManager;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * DATABASE: migrates the schema on the server's CandorDS (nothing when it is current) and proves the mapping with real
 * queries. Idempotent: after a database loss it runs again and finds no migration pending.
 */
@ApplicationScoped
public class DatabasePhase implements StartupPhase {

    @Inject
    SchemaManager schema;

    @Inject
    ThreadRepository threads;

    @Override
    public Phase phase() {
        return Phase.DATABASE;
    }

    @Override
    public void run() throws Exception {
        schema.migrate();
        threads.verifyStorage();
    }
}
