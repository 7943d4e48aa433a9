package dev.candor.infrastructure.mcp;

import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the MCP configuration file ({@code candor.mcp.config}, JSON): {@code {"servers": [ {...}, ... ]}}. Every
 * mistake is reported with the server and field it concerns, so the operator can fix the file.
 */
public final class McpConfigFile {

    private static final JsonProvider JSON = JsonProvider.provider();

    /** Server names: short, and free of the {@code __} that separates server and tool in a tool's name. */
    private static final Pattern SERVER_NAME = Pattern.compile("[a-z][a-z0-9-]{0,23}");

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);
    static final Duration APPROVAL_TIMEOUT = Duration.ofMinutes(2);

    private static final Set<String> FIELDS = Set.of("name", "transport", "command", "args", "env", "url", "headers",
            "required", "connect_timeout_ms", "call_timeout_ms", "approval_timeout_ms", "tools", "groups", "user_header");

    private McpConfigFile() {
    }

    public static List<McpServerConfig> read(Path file) {
        try (Reader reader = Files.newBufferedReader(file); var json = JSON.createReader(reader)) {
            return parse(json.readObject(), file.toString());
        } catch (IOException e) {
            throw new IllegalStateException("the MCP configuration " + file + " cannot be read: " + e.getMessage(), e);
        } catch (JsonException | ClassCastException e) {
            throw new IllegalStateException("the MCP configuration " + file + " is not a JSON object: "
                    + e.getMessage(), e);
        }
    }

    static List<McpServerConfig> parse(JsonObject root, String source) {
        JsonValue servers = root.get("servers");
        if (!(servers instanceof JsonArray list)) {
            throw new IllegalStateException("the MCP configuration " + source + " needs an array 'servers'");
        }
        List<McpServerConfig> result = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (JsonValue value : list) {
            if (!(value instanceof JsonObject server)) {
                throw new IllegalStateException("each entry of 'servers' in " + source + " must be an object");
            }
            McpServerConfig config = server(server, source);
            if (!names.add(config.name())) {
                throw new IllegalStateException("two MCP servers are named '" + config.name() + "' in " + source);
            }
            result.add(config);
        }
        return List.copyOf(result);
    }

    private static McpServerConfig server(JsonObject json, String source) {
        String name = text(json, "name", "an MCP server in " + source).orElseThrow(() -> new IllegalStateException(
                "an MCP server in " + source + " has no 'name'"));
        String where = "MCP server '" + name + "' in " + source;
        if (!SERVER_NAME.matcher(name).matches()) {
            throw new IllegalStateException(where + ": the name must be lower case letters, digits and '-', starting "
                    + "with a letter, at most 24 characters");
        }
        for (String field : json.keySet()) {
            if (!FIELDS.contains(field)) {
                throw new IllegalStateException(where + ": unknown field '" + field + "'; known: " + FIELDS);
            }
        }
        String transportText = text(json, "transport", where).orElseThrow(() -> new IllegalStateException(
                where + " has no 'transport' (stdio or http)"));
        McpServerConfig.Transport transport = switch (transportText) {
            case "stdio" -> McpServerConfig.Transport.STDIO;
            case "http" -> McpServerConfig.Transport.HTTP;
            default -> throw new IllegalStateException(where + ": transport '" + transportText
                    + "' is not supported; use stdio or http (streamable HTTP)");
        };
        List<String> command = new ArrayList<>();
        URI url = null;
        if (transport == McpServerConfig.Transport.STDIO) {
            command.add(text(json, "command", where).orElseThrow(() -> new IllegalStateException(
                    where + ": transport stdio needs a 'command'")));
            command.addAll(strings(json, "args", where));
        } else {
            String address = text(json, "url", where).orElseThrow(() -> new IllegalStateException(
                    where + ": transport http needs a 'url'"));
            url = URI.create(address);
            if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
                throw new IllegalStateException(where + ": 'url' must be an http or https URL");
            }
        }
        return new McpServerConfig(name, transport, List.copyOf(command), map(json, "env", where), url,
                map(json, "headers", where), flag(json, "required", where),
                millis(json, "connect_timeout_ms", where).orElse(CONNECT_TIMEOUT),
                millis(json, "call_timeout_ms", where), millis(json, "approval_timeout_ms", where)
                        .orElse(APPROVAL_TIMEOUT), approvals(json, where), Set.copyOf(strings(json, "groups", where)),
                userHeader(json, transport, where));
    }

    private static Optional<String> userHeader(JsonObject json, McpServerConfig.Transport transport, String where) {
        Optional<String> header = text(json, "user_header", where);
        if (header.isPresent() && transport != McpServerConfig.Transport.HTTP) {
            throw new IllegalStateException(where + ": 'user_header' needs transport http");
        }
        if (header.isPresent() && !header.get().matches("[A-Za-z0-9-]{1,64}")) {
            throw new IllegalStateException(where + ": 'user_header' must be a header name (letters, digits, '-')");
        }
        return header;
    }

    private static Map<String, McpServerConfig.Approval> approvals(JsonObject json, String where) {
        JsonValue tools = json.get("tools");
        if (tools == null) {
            return Map.of();
        }
        if (!(tools instanceof JsonObject byName)) {
            throw new IllegalStateException(where + ": 'tools' must be an object keyed by tool name");
        }
        Map<String, McpServerConfig.Approval> approvals = new LinkedHashMap<>();
        byName.forEach((tool, value) -> {
            String at = where + ", tool '" + tool + "'";
            if (!(value instanceof JsonObject settings) || !settings.keySet().equals(Set.of("approval"))) {
                throw new IllegalStateException(at + ": expected {\"approval\": \"required\"} or "
                        + "{\"approval\": \"never\"}");
            }
            String approval = text(settings, "approval", at).orElse("");
            approvals.put(tool, switch (approval.toLowerCase(Locale.ROOT)) {
                case "required" -> McpServerConfig.Approval.REQUIRED;
                case "never" -> McpServerConfig.Approval.NEVER;
                default -> throw new IllegalStateException(at + ": approval must be 'required' or 'never'");
            });
        });
        return Map.copyOf(approvals);
    }

    private static Optional<String> text(JsonObject json, String field, String where) {
        JsonValue value = json.get(field);
        if (value == null || value == JsonValue.NULL) {
            return Optional.empty();
        }
        if (!(value instanceof JsonString string) || string.getString().isBlank()) {
            throw new IllegalStateException(where + ": '" + field + "' must be a non-empty string");
        }
        return Optional.of(string.getString().strip());
    }

    private static List<String> strings(JsonObject json, String field, String where) {
        JsonValue value = json.get(field);
        if (value == null || value == JsonValue.NULL) {
            return List.of();
        }
        if (!(value instanceof JsonArray array) || !array.stream().allMatch(JsonString.class::isInstance)) {
            throw new IllegalStateException(where + ": '" + field + "' must be an array of strings");
        }
        return array.getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
    }

    private static Map<String, String> map(JsonObject json, String field, String where) {
        JsonValue value = json.get(field);
        if (value == null || value == JsonValue.NULL) {
            return Map.of();
        }
        if (!(value instanceof JsonObject object)
                || !object.values().stream().allMatch(JsonString.class::isInstance)) {
            throw new IllegalStateException(where + ": '" + field + "' must be an object of strings");
        }
        Map<String, String> result = new LinkedHashMap<>();
        object.forEach((key, text) -> result.put(key, ((JsonString) text).getString()));
        return java.util.Collections.unmodifiableMap(result);
    }

    private static boolean flag(JsonObject json, String field, String where) {
        JsonValue value = json.get(field);
        if (value == null || value == JsonValue.NULL || value == JsonValue.FALSE) {
            return false;
        }
        if (value != JsonValue.TRUE) {
            throw new IllegalStateException(where + ": '" + field + "' must be true or false");
        }
        return true;
    }

    private static Optional<Duration> millis(JsonObject json, String field, String where) {
        JsonValue value = json.get(field);
        if (value == null || value == JsonValue.NULL) {
            return Optional.empty();
        }
        if (!(value instanceof JsonNumber number) || !number.isIntegral() || number.longValue() <= 0) {
            throw new IllegalStateException(where + ": '" + field + "' must be a whole number of milliseconds > 0");
        }
        return Optional.of(Duration.ofMillis(number.longValue()));
    }

    /** Replaces each {@code ${NAME}} in {@code value} by {@code lookup(NAME)}; a missing one fails, naming it. */
    static String resolve(String value, java.util.function.Function<String, Optional<String>> lookup, String where) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int start = value.indexOf("${", at);
            if (start < 0) {
                return out.append(value, at, value.length()).toString();
            }
            int end = value.indexOf('}', start);
            if (end < 0) {
                throw new IllegalStateException(where + ": an unclosed '${' in a value");
            }
            String name = value.substring(start + 2, end);
            out.append(value, at, start).append(lookup.apply(name).orElseThrow(() -> new IllegalStateException(
                    where + ": '${" + name + "}' is not set (an environment variable or setting of that name)")));
            at = end + 1;
        }
    }
}
