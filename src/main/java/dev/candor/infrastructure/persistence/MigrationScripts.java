package dev.candor.infrastructure.persistence;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.resource.LoadableResource;

/**
 * The migrations, named here rather than found by scanning the class path (which inside a WildFly deployment is a VFS
 * that Flyway's scanner handles only with extra modules). A new migration is a new file in db/migration and a new
 * entry in {@link #NAMES}; MigrationScriptsTest fails when the two differ.
 */
final class MigrationScripts implements ResourceProvider {

    static final String LOCATION = "db/migration";

    static final List<String> NAMES = List.of(
            "V1__initial_schema.sql",
            "V2__one_running_run_per_thread_and_unique_client_message_id.sql");

    private final ClassLoader loader;

    MigrationScripts(ClassLoader loader) {
        this.loader = loader;
    }

    @Override
    public LoadableResource getResource(String name) {
        String file = name.startsWith(LOCATION + "/") ? name.substring(LOCATION.length() + 1) : name;
        return NAMES.contains(file) ? new Script(file) : null;
    }

    @Override
    public Collection<LoadableResource> getResources(String prefix, String[] suffixes) {
        return NAMES.stream()
                .filter(name -> name.startsWith(prefix) && Arrays.stream(suffixes).anyMatch(name::endsWith))
                .<LoadableResource>map(Script::new).toList();
    }

    /** One script, read from the deployment's class loader each time Flyway asks. */
    private final class Script extends LoadableResource {

        private final String filename;

        Script(String filename) {
            this.filename = filename;
        }

        @Override
        public Reader read() {
            InputStream in = loader.getResourceAsStream(getAbsolutePath());
            if (in == null) {
                throw new UncheckedIOException(new java.io.FileNotFoundException(getAbsolutePath()
                        + " is missing from the deployment"));
            }
            return new InputStreamReader(in, StandardCharsets.UTF_8);
        }

        @Override
        public String getAbsolutePath() {
            return LOCATION + "/" + filename;
        }

        @Override
        public String getAbsolutePathOnDisk() {
            return getAbsolutePath();
        }

        @Override
        public String getFilename() {
            return filename;
        }

        @Override
        public String getRelativePath() {
            return filename;
        }
    }
}
