package dev.candor.infrastructure.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README's configuration table and the settings the code reads must say the same thing. */
class SettingReadmeTest {

    @Test
    void readmeConfigurationTableMatchesTheSettings() throws IOException {
        Map<String, String> readme = new TreeMap<>();
        for (String line : Files.readAllLines(Path.of("README.md"))) {
            if (line.startsWith("| `candor.")) {
                String[] cells = Arrays.stream(line.split("\\|")).map(String::strip).toArray(String[]::new);
                readme.put(unquote(cells[1]), cells[2] + " | " + cells[3] + " | " + cells[4]);
            }
        }
        Map<String, String> code = Arrays.stream(Setting.values()).collect(Collectors.toMap(Setting::key,
                s -> "`" + s.env() + "` | " + s.readmeDefault() + " | " + s.doc(), (a, b) -> a, TreeMap::new));
        assertEquals(table(code), table(readme), "README.md's configuration table differs from Setting");
    }

    private static String unquote(String cell) {
        return cell.replace("`", "");
    }

    private static String table(Map<String, String> rows) {
        Map<String, String> ordered = new LinkedHashMap<>(rows);
        return ordered.entrySet().stream().map(e -> e.getKey() + " | " + e.getValue())
                .collect(Collectors.joining("\n"));
    }
}
