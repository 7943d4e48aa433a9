package dev.candor.testsupport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One scrape of the Prometheus endpoint, parsed from the text format: every sample's name, labels and value. A test
 * takes one before and one after its scenario and compares them, since the counters are shared with earlier tests.
 */
public final class Scrape {

    /** One sample line: {@code name{label="value",...} value}. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples;

    private Scrape(List<Sample> samples) {
        this.samples = samples;
    }

    /** Scrapes the server now; fails unless it answers 200. */
    public static Scrape take() {
        var response = Http.get(Http.PROMETHEUS);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + Http.PROMETHEUS + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return parse(response.body());
    }

    public static Scrape parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                samples.add(sample(line.strip()));
            }
        }
        return new Scrape(samples);
    }

    public List<Sample> samples() {
        return samples;
    }

    /** The sum of the samples named {@code name} whose labels include {@code labels} (pairs); 0 when there are none. */
    public double sum(String name, String... labels) {
        Map<String, String> wanted = pairs(labels);
        return samples.stream().filter(s -> s.name().equals(name))
                .filter(s -> s.labels().entrySet().containsAll(wanted.entrySet()))
                .mapToDouble(Sample::value).sum();
    }

    /** How much {@link #sum} grew since {@code before}. */
    public double delta(Scrape before, String name, String... labels) {
        return sum(name, labels) - before.sum(name, labels);
    }

    private static Map<String, String> pairs(String... labels) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < labels.length; i += 2) {
            map.put(labels[i], labels[i + 1]);
        }
        return map;
    }

    private static Sample sample(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        Map<String, String> labels = new LinkedHashMap<>();
        String name;
        int rest;
        if (brace >= 0 && brace < space) {
            name = line.substring(0, brace);
            rest = labels(line, brace + 1, labels);
        } else {
            name = line.substring(0, space);
            rest = space;
        }
        String[] value = line.substring(rest).strip().split(" ");
        return new Sample(name, labels, Double.parseDouble(value[0]));
    }

    /** Reads {@code k="v",...}} from {@code start}; returns the index after the closing brace. */
    private static int labels(String line, int start, Map<String, String> labels) {
        int i = start;
        while (line.charAt(i) != '}') {
            int equals = line.indexOf('=', i);
            String key = line.substring(i, equals).strip();
            StringBuilder value = new StringBuilder();
            i = equals + 2; // past ="
            while (line.charAt(i) != '"') {
                char c = line.charAt(i++);
                if (c == '\\') {
                    char escaped = line.charAt(i++);
                    value.append(escaped == 'n' ? '\n' : escaped);
                } else {
                    value.append(c);
                }
            }
            labels.put(key, value.toString());
            i++; // past the closing quote
            if (line.charAt(i) == ',') {
                i++;
            }
        }
        return i + 1;
    }
}
