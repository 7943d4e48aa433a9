package dev.candor.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/** What the server wrote to {@code standalone/log/server.log}: its ERROR and WARN lines and the exceptions in it. */
record ServerLog(Path file, List<String> errors, List<String> warnings, List<String> exceptions) {

    private static final Pattern LEVEL = Pattern.compile("^\\S+ \\S+\\s+(ERROR|WARN)\\s");
    private static final Pattern EXCEPTION = Pattern.compile("^(Caused by: )?[\\w.$]+(Exception|Error)\\b.*");

    static ServerLog read(Path file) {
        if (!Files.exists(file)) {
            return new ServerLog(file, List.of(), List.of(), List.of());
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return new ServerLog(file, matching(lines, "ERROR"), matching(lines, "WARN"),
                    lines.stream().filter(l -> EXCEPTION.matcher(l.strip()).matches()).toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static List<String> matching(List<String> lines, String level) {
        return lines.stream().filter(l -> {
            var m = LEVEL.matcher(l);
            return m.find() && m.group(1).equals(level);
        }).toList();
    }

    /** "0 ERROR, 2 WARN, 0 exception lines". */
    String counts() {
        return errors.size() + " ERROR, " + warnings.size() + " WARN, " + exceptions.size() + " exception lines";
    }

    /** The first {@code max} ERROR, WARN and exception lines, each shortened, for the report. */
    String excerpt(int max) {
        StringBuilder out = new StringBuilder();
        append(out, "ERROR", errors, max);
        append(out, "WARN", warnings, max);
        append(out, "exception", exceptions, max);
        return out.toString();
    }

    private static void append(StringBuilder out, String what, List<String> lines, int max) {
        lines.stream().limit(max).forEach(l -> out.append("    ").append(shorten(l)).append('\n'));
        if (lines.size() > max) {
            out.append("    ... ").append(lines.size() - max).append(" more ").append(what).append(" lines\n");
        }
    }

    private static String shorten(String line) {
        return line.length() > 300 ? line.substring(0, 300) + " ..." : line;
    }
}
