package dev.candor.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard and the rules name only what exists: README.md's meter table (the one list of Candor's meters)
 * and the recorded rules. Every meter is read somewhere, and each success criterion has a panel with a threshold at
 * its target.
 */
class ObservabilityDashboardTest {

    /** The success criteria's recording rules and their targets (null: shown, no target of its own). */
    static final Map<String, Double> CRITERIA = new LinkedHashMap<>();

    static {
        CRITERIA.put("candor:init_success_ratio:rate5m", 0.99);
        CRITERIA.put("candor:connection_success_ratio:rate5m", 0.99);
        CRITERIA.put("candor:init_duration_seconds:avg5m", 8.0);
        CRITERIA.put("candor:init_duration_seconds:p95_5m", null);
        CRITERIA.put("candor:connection_ready_seconds:p95_5m", 10.0);
        CRITERIA.put("candor:connection_ready_seconds:avg5m", null);
        CRITERIA.put("candor:runs_ended:rate5m", null);
    }

    private static final Pattern METER_ROW = Pattern.compile("(?m)^\\| `(candor_[a-z_]+)` \\| ([^|]+) \\|");
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern QUOTED = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");

    @Test
    void everyExpressionNamesOnlyMetersAndRecordedRules() throws Exception {
        Set<String> known = new LinkedHashSet<>(series(meters()));
        Set<String> recorded = recordedRules();
        known.addAll(recorded);
        assertEquals(recorded.size(), ruleExpressions("recording-rules.yml").size(), "an expression was not read");
        List<String> expressions = new ArrayList<>(expressions(ObservabilityRulesTest.dashboard()));
        expressions.addAll(ruleExpressions("recording-rules.yml"));
        expressions.addAll(ruleExpressions("alerting-rules.yml"));
        for (String expression : expressions) {
            Set<String> names = candorNames(expression);
            // CandorScrapeDown reads Prometheus' own `up`
            assertTrue(!names.isEmpty() || expression.startsWith("up{job=\"candor\"}"), "reads nothing: " + expression);
            for (String name : names) {
                assertTrue(known.contains(name), name + " is neither a meter of README.md nor a recorded rule: "
                        + expression);
            }
        }
        assertTrue(recorded.containsAll(CRITERIA.keySet()), recorded.toString());
    }

    @Test
    void everyMeterIsReadByARuleOrAPanel() throws Exception {
        Set<String> read = new LinkedHashSet<>();
        for (String expression : expressions(ObservabilityRulesTest.dashboard())) {
            read.addAll(candorNames(expression));
        }
        for (String file : List.of("recording-rules.yml", "alerting-rules.yml")) {
            ruleExpressions(file).forEach(expression -> read.addAll(candorNames(expression)));
        }
        Map<String, String> meters = meters();
        assertEquals(25, meters.size(), "README.md's meter table: " + meters.keySet());
        for (Map.Entry<String, String> meter : meters.entrySet()) {
            assertTrue(series(Map.of(meter.getKey(), meter.getValue())).stream().anyMatch(read::contains),
                    meter.getKey() + " is on no panel and in no rule");
        }
    }

    @Test
    void eachSuccessCriterionHasAPanelWithItsTarget() throws Exception {
        List<JsonObject> panels = panels(ObservabilityRulesTest.dashboard());
        for (Map.Entry<String, Double> criterion : CRITERIA.entrySet()) {
            List<JsonObject> showing = panels.stream().filter(panel -> panelExpressions(panel).stream()
                    .anyMatch(expression -> candorNames(expression).contains(criterion.getKey()))).toList();
            assertFalse(showing.isEmpty(), "no panel shows " + criterion.getKey());
            if (criterion.getValue() != null) {
                for (JsonObject panel : showing) {
                    assertTrue(thresholds(panel).contains(criterion.getValue()), panel.getString("title")
                            + " has no threshold at " + criterion.getValue() + ": " + thresholds(panel));
                }
            }
        }
    }

    @Test
    void everyPanelQueriesTheProvisionedDataSource() throws Exception {
        String datasource = Files.readString(Path.of(
                "docker/observability/grafana/provisioning/datasources/prometheus.yml"));
        assertTrue(datasource.contains("uid: prometheus\n") && datasource.contains("url: http://prometheus:9090\n"),
                datasource);
        JsonObject dashboard = ObservabilityRulesTest.dashboard();
        assertEquals("candor", dashboard.getString("uid"));
        for (JsonObject panel : panels(dashboard)) {
            assertEquals("prometheus", panel.getJsonObject("datasource").getString("uid"), panel.getString("title"));
            assertFalse(panelExpressions(panel).isEmpty(), panel.getString("title") + " has no query");
        }
    }

    /** README.md's meter table, in its Observability section: Prometheus name to type. */
    static Map<String, String> meters() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("\n### Meters\n");
        assertTrue(start > 0, "README.md has no Meters section");
        int end = readme.indexOf("\n#", start + 1);
        Matcher row = METER_ROW.matcher(readme.substring(start, end));
        Map<String, String> meters = new LinkedHashMap<>();
        while (row.find()) {
            meters.put(row.group(1), row.group(2).trim());
        }
        return meters;
    }

    /** The series a meter publishes: a counter or gauge its name; a timer _count, _sum, _max, and (h) _bucket. */
    private static Set<String> series(Map<String, String> meters) {
        Set<String> series = new LinkedHashSet<>();
        meters.forEach((name, type) -> {
            if (type.startsWith("timer")) {
                series.addAll(List.of(name + "_count", name + "_sum", name + "_max"));
                if (type.startsWith("timer (h:")) {
                    series.add(name + "_bucket");
                }
            } else {
                boolean counter = type.equals("counter") && name.endsWith("_total");
                assertTrue(counter || type.equals("gauge"), name + " " + type);
                series.add(name);
            }
        });
        return series;
    }

    private static Set<String> recordedRules() throws Exception {
        Set<String> names = new LinkedHashSet<>();
        for (String line : Files.readAllLines(ObservabilityRulesTest.PROMETHEUS.resolve("recording-rules.yml"))) {
            if (line.trim().startsWith("- record: ")) {
                names.add(line.trim().substring("- record: ".length()));
            }
        }
        return names;
    }

    /** The expr of every rule in a rule file: inline, or the block scalar below it. */
    private static List<String> ruleExpressions(String file) throws Exception {
        List<String> lines = Files.readAllLines(ObservabilityRulesTest.PROMETHEUS.resolve(file));
        List<String> expressions = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int indent = line.indexOf("expr: ");
            if (indent < 0 || !line.substring(0, indent).isBlank()) {
                continue;
            }
            String value = line.substring(indent + "expr: ".length()).trim();
            if (value.equals("|")) {
                StringBuilder block = new StringBuilder();
                while (i + 1 < lines.size() && lines.get(i + 1).length() > indent
                        && lines.get(i + 1).substring(0, indent + 1).isBlank()) {
                    block.append(lines.get(++i).trim()).append('\n');
                }
                value = block.toString();
            }
            expressions.add(value);
        }
        assertFalse(expressions.isEmpty(), file);
        return expressions;
    }

    /** The Candor series and rules an expression names (label values and strings left out). */
    private static Set<String> candorNames(String expression) {
        Set<String> names = new LinkedHashSet<>();
        Matcher name = NAME.matcher(QUOTED.matcher(expression).replaceAll("\"\""));
        while (name.find()) {
            if (name.group().startsWith("candor")) {
                names.add(name.group());
            }
        }
        return names;
    }

    static List<String> expressions(JsonObject dashboard) {
        List<String> expressions = new ArrayList<>();
        panels(dashboard).forEach(panel -> expressions.addAll(panelExpressions(panel)));
        assertFalse(expressions.isEmpty());
        return expressions;
    }

    /** The panels that query (rows left out, and the panels inside collapsed rows included). */
    private static List<JsonObject> panels(JsonObject dashboard) {
        List<JsonObject> panels = new ArrayList<>();
        for (JsonValue value : dashboard.getJsonArray("panels")) {
            JsonObject panel = value.asJsonObject();
            if (panel.getString("type").equals("row")) {
                panel.getJsonArray("panels").forEach(inner -> panels.add(inner.asJsonObject()));
            } else {
                panels.add(panel);
            }
        }
        return panels;
    }

    private static List<String> panelExpressions(JsonObject panel) {
        return panel.getJsonArray("targets").stream().map(target -> target.asJsonObject().getString("expr")).toList();
    }

    private static List<Double> thresholds(JsonObject panel) {
        return panel.getJsonObject("fieldConfig").getJsonObject("defaults").getJsonObject("thresholds")
                .getJsonArray("steps").stream().map(step -> step.asJsonObject().get("value"))
                .filter(value -> value instanceof JsonNumber).map(value -> ((JsonNumber) value).doubleValue())
                .toList();
    }
}
