package dev.candor.testsupport;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * HAProxy's view of the nodes, from its statistics CSV ({@code /;csv}): each server's status (UP, DOWN, ...) and its
 * current sessions (open connections, WebSockets included).
 *
 * @param servers server name ({@code node-a}) to its columns
 */
public record BalancerStats(Map<String, Map<String, String>> servers) {

    private static final String BACKEND = "candor_nodes";

    /** Reads the statistics now; empty when HAProxy does not answer. */
    public static BalancerStats read(URI csv) {
        Map<String, Map<String, String>> servers = new LinkedHashMap<>();
        String body;
        try {
            body = Http.get(csv).body();
        } catch (IllegalStateException e) {
            return new BalancerStats(servers);
        }
        List<String> lines = body.lines().toList();
        if (lines.isEmpty() || !lines.get(0).startsWith("# ")) {
            return new BalancerStats(servers);
        }
        String[] header = lines.get(0).substring(2).split(",", -1);
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            if (cells.length < 2 || !BACKEND.equals(cells[0]) || "BACKEND".equals(cells[1])) {
                continue;
            }
            Map<String, String> columns = new LinkedHashMap<>();
            for (int i = 0; i < Math.min(header.length, cells.length); i++) {
                columns.put(header[i], cells[i]);
            }
            servers.put(cells[1], columns);
        }
        return new BalancerStats(servers);
    }

    /** The node's status as HAProxy's health checks see it: UP, DOWN, "UP 1/2", ... ("unknown" when absent). */
    public String status(TwoNodeCluster.Node node) {
        return servers.getOrDefault(node.serverName(), Map.of()).getOrDefault("status", "unknown");
    }

    public boolean isUp(TwoNodeCluster.Node node) {
        return "UP".equals(status(node));
    }

    /** Connections HAProxy holds open to the node right now. */
    public int openSessions(TwoNodeCluster.Node node) {
        return number(node, "scur");
    }

    /** Connections HAProxy has sent to the node since it started. */
    public int totalSessions(TwoNodeCluster.Node node) {
        return number(node, "stot");
    }

    private int number(TwoNodeCluster.Node node, String column) {
        String value = servers.getOrDefault(node.serverName(), Map.of()).getOrDefault(column, "");
        return value.isEmpty() ? 0 : Integer.parseInt(value);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        servers.forEach((name, columns) -> text.append(name).append(' ').append(columns.get("status"))
                .append(" scur=").append(columns.get("scur"))
                .append(" stot=").append(columns.get("stot")).append("; "));
        return text.isEmpty() ? "no statistics" : text.toString();
    }
}
