package dev.candor.wildfly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * configure-server.cli's logging: log lines name the current trace, and CANDOR_LOG_FORMAT=json switches the console to
 * the JSON formatter (any other value, or none, keeps the pattern). The handlers' {@code enabled} expressions are
 * resolved here as WildFly resolves nested expressions, innermost first.
 */
class LoggingConfigurationTest {

    private static final Path CLI = Path.of("wildfly-config/configure-server.cli");
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([^${}:]+)(?::([^${}]*))?}");

    private final String cli = read();

    @Test
    void definesTheJsonFormatterAndAConsoleHandlerUsingIt() {
        assertTrue(cli.contains("/subsystem=logging/json-formatter=JSON:add("), cli);
        assertTrue(cli.contains("/subsystem=logging/console-handler=CONSOLE-JSON:add(named-formatter=JSON"), cli);
        assertTrue(cli.contains("/subsystem=logging/root-logger=ROOT:add-handler(name=CONSOLE-JSON)"), cli);
    }

    @Test
    void jsonSwitchesTheConsoleFromThePatternToJson() {
        assertEquals("false", resolve(enabled("CONSOLE"), Map.of("CANDOR_LOG_FORMAT", "json")));
        assertEquals("true", resolve(enabled("CONSOLE-JSON"), Map.of("CANDOR_LOG_FORMAT", "json")));
    }

    @Test
    void withoutTheSwitchOrWithAnotherValueTheConsoleKeepsThePattern() {
        for (Map<String, String> env : new Map[] {Map.of(), Map.of("CANDOR_LOG_FORMAT", "text"),
                Map.of("CANDOR_LOG_FORMAT", "JSON ")}) {
            assertEquals("true", resolve(enabled("CONSOLE"), env), env.toString());
            assertEquals("false", resolve(enabled("CONSOLE-JSON"), env), env.toString());
        }
    }

    @Test
    void bothPatternsPrintTheTraceWhenThereIsOne() {
        for (String formatter : new String[] {"PATTERN", "COLOR-PATTERN"}) {
            Matcher pattern = Pattern.compile("pattern-formatter=" + formatter
                    + ":write-attribute\\(name=pattern, \\\\\\s+value=\"([^\"]+)\"\\)").matcher(cli);
            assertTrue(pattern.find(), formatter + " is not rewritten");
            assertTrue(pattern.group(1).contains("%X{trace}%s"), pattern.group(1));
        }
    }

    /** The expression the console handler {@code handler} is enabled by. */
    private String enabled(String handler) {
        Matcher enabled = Pattern.compile("console-handler=" + Pattern.quote(handler)
                + ":(?:write-attribute\\(name=enabled, \\\\\\s+value=|add\\([^)]*enabled=)\"([^\"]+)\"").matcher(cli);
        assertTrue(enabled.find(), handler + " has no enabled expression");
        return enabled.group(1);
    }

    /** {@code expression} resolved against the CLI's system properties and {@code env}, innermost first. */
    private String resolve(String expression, Map<String, String> env) {
        String value = expression;
        for (Matcher m = EXPRESSION.matcher(value); m.find(); m = EXPRESSION.matcher(value)) {
            String name = m.group(1);
            String found = name.startsWith("env.") ? env.get(name.substring(4)) : systemProperty(name);
            String resolved = found != null ? found : m.group(2);
            value = value.substring(0, m.start()) + resolved + value.substring(m.end());
        }
        return value;
    }

    private String systemProperty(String name) {
        Matcher property = Pattern.compile("/system-property=" + Pattern.quote(name) + ":add\\(value=([^)]+)\\)")
                .matcher(cli);
        return property.find() ? property.group(1) : null;
    }

    private static String read() {
        try {
            return Files.readString(CLI);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
