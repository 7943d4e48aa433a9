package dev.candor.application.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.trace.Span;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jboss.logging.MDC;
import org.junit.jupiter.api.Test;

/** Tracing is off unless switched on, and what ships switches nothing on. */
class TracingTest {

    private static final Pattern SWITCHED_ON = Pattern.compile("(?i)otel[._]sdk[._]disabled\\s*[=:]\\s*\"?false");

    @Test
    void isOffWithoutOtelSdkDisabled() {
        assertFalse(Tracing.enabled(Optional.empty()));
    }

    @Test
    void isOnOnlyWhenOtelSdkDisabledIsNotTrue() {
        assertTrue(Tracing.enabled(Optional.of("false")));
        assertTrue(Tracing.enabled(Optional.of(" FALSE ")));
        assertFalse(Tracing.enabled(Optional.of("true")));
        assertFalse(Tracing.enabled(Optional.of("TRUE")));
    }

    @Test
    void noShippedConfigurationSwitchesTracingOn() throws IOException {
        List<Path> shipped = Stream.of(Path.of("src/main/resources"), Path.of("src/main/webapp"),
                Path.of("wildfly-config"), Path.of("docker"), Path.of("src/main/server")).filter(Files::isDirectory)
                .flatMap(TracingTest::files).toList();
        assertFalse(shipped.isEmpty());
        for (Path file : shipped) {
            String text = Files.readString(file);
            assertFalse(SWITCHED_ON.matcher(text).find(), file + " switches tracing on");
        }
    }

    @Test
    void aTurnOfTheNoopTracerLeavesNoTraceInTheLog() {
        TurnTrace turn = TurnTrace.none();
        try (TraceScope ignored = turn.activate()) {
            assertFalse(Span.current().getSpanContext().isValid());
            assertEquals(null, MDC.get(TraceScope.TRACE_ID));
        }
    }

    private static Stream<Path> files(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).toList().stream();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
