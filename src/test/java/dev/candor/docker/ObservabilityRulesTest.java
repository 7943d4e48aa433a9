package dev.candor.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus side of docker/observability, checked by Debian's promtool (Prometheus 2.42; the build installs it
 * with src/test/scripts/promtool.sh before the tests): the configuration and its rule files are valid, the rules'
 * unit tests (src/test/observability/rules.test.yml) pass and can fail, and the dashboard's expressions are PromQL.
 */
class ObservabilityRulesTest {

    static final Path PROMETHEUS = Path.of("docker/observability/prometheus");
    static final Path RULES_TEST = Path.of("src/test/observability/rules.test.yml");
    static final Path DASHBOARD = Path.of("docker/observability/grafana/dashboards/candor.json");
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    private static final Path WORK = Path.of("target/observability");

    @Test
    void theConfigurationAndItsRuleFilesAreValid() throws Exception {
        // WildFly's /prometheus has no Content-Type: Prometheus 3 (compose) scrapes it only with a fallback format,
        // a setting Prometheus 2.42 does not know yet. The rest is checked as it is, with the rule files beside it.
        String fallback = "    fallback_scrape_protocol: PrometheusText0.0.4\n";
        String original = Files.readString(PROMETHEUS.resolve("prometheus.yml"));
        assertTrue(original.contains(fallback), original);
        Files.createDirectories(WORK);
        Path copy = WORK.resolve("prometheus.yml");
        Files.writeString(copy, original.replace(fallback, "")
                .replace("  - recording-rules.yml\n", "  - " + PROMETHEUS.toAbsolutePath() + "/recording-rules.yml\n")
                .replace("  - alerting-rules.yml\n", "  - " + PROMETHEUS.toAbsolutePath() + "/alerting-rules.yml\n"));
        Result config = promtool("check", "config", copy.toString());
        assertEquals(0, config.exit, config.output);
        assertTrue(config.output.contains("SUCCESS: 2 rule files found"), config.output);
        Result rules = promtool("check", "rules", PROMETHEUS.resolve("recording-rules.yml").toString(),
                PROMETHEUS.resolve("alerting-rules.yml").toString());
        assertEquals(0, rules.exit, rules.output);
        assertTrue(rules.output.contains("SUCCESS: 24 rules found") && rules.output.contains("SUCCESS: 9 rules found"),
                rules.output);
    }

    @Test
    void theRulesComputeEachCriterionAndFireEachAlert() throws Exception {
        Result test = promtool("test", "rules", RULES_TEST.toString());
        System.out.println(test.output);
        assertEquals(0, test.exit, test.output);
        assertTrue(test.output.contains("SUCCESS"), test.output);
        // every criterion is asserted by value and every alert is tested
        String tests = Files.readString(RULES_TEST);
        for (String criterion : ObservabilityDashboardTest.CRITERIA.keySet()) {
            assertTrue(tests.contains("- expr: " + criterion + "\n"), criterion + " is not tested");
        }
        for (String alert : alertNames()) {
            assertTrue(tests.contains("alertname: " + alert + "\n"), alert + " is not tested");
        }
    }

    @Test
    void aWrongExpectationFailsTheRulesTest() throws Exception {
        // The same tests with 99 ready and 1 init_failed expected to give 0.98: promtool must refuse them.
        Files.createDirectories(WORK);
        String rulesDir = PROMETHEUS.toAbsolutePath().toString();
        String broken = Files.readString(RULES_TEST).replace("../../../docker/observability/prometheus", rulesDir)
                .replace("value: 0.99\n", "value: 0.98\n");
        Path file = WORK.resolve("broken.test.yml");
        Files.writeString(file, broken);
        Result test = promtool("test", "rules", file.toString());
        assertEquals(1, test.exit, test.output);
        assertTrue(test.output.contains("exp: {__name__=\"candor:connection_success_ratio:rate5m\"} 9.8E-01")
                && test.output.contains("got: {__name__=\"candor:connection_success_ratio:rate5m\"} 9.9E-01"),
                test.output);
    }

    @Test
    void theDashboardsExpressionsAreValidPromQl() throws Exception {
        // Each panel query as a recording rule: promtool parses it as Prometheus would.
        List<String> expressions = ObservabilityDashboardTest.expressions(dashboard());
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        for (int i = 0; i < expressions.size(); i++) {
            rules.append("      - record: dashboard:query_").append(i).append('\n')
                    .append("        expr: ").append(Json.createValue(expressions.get(i))).append('\n');
        }
        Files.createDirectories(WORK);
        Path file = WORK.resolve("dashboard-queries.yml");
        Files.writeString(file, rules);
        Result check = promtool("check", "rules", file.toString());
        assertEquals(0, check.exit, check.output);
        assertTrue(check.output.contains("SUCCESS: " + expressions.size() + " rules found"), check.output);
    }

    static JsonObject dashboard() throws Exception {
        try (var reader = Json.createReader(new StringReader(Files.readString(DASHBOARD)))) {
            return reader.readObject();
        }
    }

    private static List<String> alertNames() throws Exception {
        List<String> names = new ArrayList<>();
        for (String line : Files.readAllLines(PROMETHEUS.resolve("alerting-rules.yml"))) {
            if (line.trim().startsWith("- alert: ")) {
                names.add(line.trim().substring("- alert: ".length()));
            }
        }
        assertEquals(9, names.size(), names.toString());
        return names;
    }

    private record Result(int exit, String output) {
    }

    private static Result promtool(String... arguments) throws Exception {
        assertTrue(Files.isExecutable(PROMTOOL),
                "Debian's promtool is missing: src/test/scripts/promtool.sh installs it (mvn runs it before tests)");
        List<String> command = new ArrayList<>(List.of(PROMTOOL.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " did not end");
        return new Result(process.exitValue(), output);
    }
}
