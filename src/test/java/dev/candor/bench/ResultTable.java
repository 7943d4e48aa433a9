package dev.candor.bench;

import java.util.ArrayList;
import java.util.List;

/** The figures of one scenario, printed as an aligned Markdown table with a target and PASS/MISS per row. */
final class ResultTable {

    /** One printed row; {@code target} and {@code verdict} are empty for plain figures. */
    record Row(String metric, String value, String target, String verdict) {
    }

    private final String title;
    private final List<Row> rows = new ArrayList<>();

    ResultTable(String title) {
        this.title = title;
    }

    String title() {
        return title;
    }

    ResultTable figure(String metric, String value) {
        rows.add(new Row(metric, value, "", ""));
        return this;
    }

    ResultTable target(String metric, String value, String target, boolean met) {
        rows.add(new Row(metric, value, target, met ? "PASS" : "MISS"));
        return this;
    }

    List<Row> targets() {
        return rows.stream().filter(r -> !r.verdict().isEmpty()).toList();
    }

    String render() {
        String[] header = {"metric", "value", "target", "result"};
        int[] width = new int[4];
        for (int i = 0; i < 4; i++) {
            width[i] = header[i].length();
        }
        for (Row row : rows) {
            String[] cells = cells(row);
            for (int i = 0; i < 4; i++) {
                width[i] = Math.max(width[i], cells[i].length());
            }
        }
        StringBuilder out = new StringBuilder("### ").append(title).append('\n');
        line(out, header, width);
        line(out, new String[] {"-", "-", "-", "-"}, width, '-');
        for (Row row : rows) {
            line(out, cells(row), width);
        }
        return out.toString();
    }

    private static String[] cells(Row row) {
        return new String[] {row.metric(), row.value(), row.target(), row.verdict()};
    }

    private static void line(StringBuilder out, String[] cells, int[] width) {
        line(out, cells, width, ' ');
    }

    private static void line(StringBuilder out, String[] cells, int[] width, char pad) {
        out.append('|');
        for (int i = 0; i < cells.length; i++) {
            out.append(' ').append(cells[i]);
            out.append(String.valueOf(pad).repeat(width[i] - cells[i].length())).append(" |");
        }
        out.append('\n');
    }
}
