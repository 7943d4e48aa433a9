package dev.candor.infrastructure.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class McpConfigFileTest {

    private static List<McpServerConfig> parse(String json) {
        try (var reader = JsonProvider.provider().createReader(new StringReader(json))) {
            JsonObject root = reader.readObject();
            return McpConfigFile.parse(root, "mcp.json");
        }
    }

    private static String rejected(String json) {
        return assertThrows(IllegalStateException.class, () -> parse(json)).getMessage();
    }

    @Test
    void readsBothTransportsWithTheirDefaults() {
        List<McpServerConfig> servers = parse("""
                {"servers": [
                  {"name": "files", "transport": "stdio", "command": "npx", "args": ["-y", "pkg"],
                   "env": {"ROOT": "/srv"}, "required": true, "call_timeout_ms": 30000,
                   "tools": {"delete": {"approval": "required"}, "read": {"approval": "never"}}, "groups": ["ops"]},
                  {"name": "web", "transport": "http", "url": "https://mcp.example.com/mcp", "user_header": "X-User",
                   "headers": {"Authorization": "Bearer ${MCP_TOKEN}"}}
                ]}""");

        McpServerConfig files = servers.get(0);
        assertEquals(McpServerConfig.Transport.STDIO, files.transport());
        assertEquals(List.of("npx", "-y", "pkg"), files.command());
        assertEquals(Map.of("ROOT", "/srv"), files.env());
        assertTrue(files.required());
        assertEquals(Optional.of(Duration.ofSeconds(30)), files.callTimeout());
        assertEquals(McpServerConfig.Approval.REQUIRED, files.approvals().get("delete"));
        assertEquals(McpServerConfig.Approval.NEVER, files.approvals().get("read"));
        assertEquals(Set.of("ops"), files.groups());

        McpServerConfig web = servers.get(1);
        assertEquals(McpServerConfig.Transport.HTTP, web.transport());
        assertEquals("https://mcp.example.com/mcp", web.url().toString());
        assertEquals("Bearer ${MCP_TOKEN}", web.headers().get("Authorization"));
        assertFalse(web.required());
        assertEquals(McpConfigFile.CONNECT_TIMEOUT, web.connectTimeout());
        assertEquals(McpConfigFile.APPROVAL_TIMEOUT, web.approvalTimeout());
        assertEquals(Optional.empty(), web.callTimeout());
        assertEquals(Set.of(), web.groups());
        assertEquals(Optional.of("X-User"), web.userHeader());
        assertEquals(Optional.empty(), files.userHeader());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{}                                                                         | needs an array 'servers'",
        "{\"servers\":[{\"transport\":\"stdio\",\"command\":\"x\"}]}                | has no 'name'",
        "{\"servers\":[{\"name\":\"a__b\",\"transport\":\"stdio\",\"command\":\"x\"}]} | the name must be",
        "{\"servers\":[{\"name\":\"a\",\"transport\":\"sse\",\"url\":\"http://h\"}]}    | transport 'sse' is not supported",
        "{\"servers\":[{\"name\":\"a\",\"transport\":\"stdio\"}]}                    | transport stdio needs a 'command'",
        "{\"servers\":[{\"name\":\"a\",\"transport\":\"http\",\"url\":\"ftp://h\"}]}    | must be an http or https URL",
        "{\"servers\":[{\"name\":\"a\",\"transport\":\"http\",\"url\":\"http://h\",\"required\":\"yes\"}]} | 'required' must be true or false",
        "{\"servers\":[{\"name\":\"a\",\"transport\":\"http\",\"url\":\"http://h\",\"timeout\":5}]} | unknown field 'timeout'",
        "{\"servers\":[{\"name\":\"a\",\"transport\":\"http\",\"url\":\"http://h\",\"call_timeout_ms\":0}]} | whole number of milliseconds",
        "{\"servers\":[{\"name\":\"a\",\"transport\":\"http\",\"url\":\"http://h\",\"tools\":{\"t\":{\"approval\":\"maybe\"}}}]} | approval must be 'required' or 'never'",
        "{\"servers\":[{\"name\":\"a\",\"transport\":\"stdio\",\"command\":\"x\",\"user_header\":\"X-U\"}]} | 'user_header' needs transport http",
        "{\"servers\":[{\"name\":\"a\",\"transport\":\"http\",\"url\":\"http://h\"},{\"name\":\"a\",\"transport\":\"http\",\"url\":\"http://i\"}]} | two MCP servers are named 'a'"})
    void refusesAMistakeNamingWhereItIs(String json, String expected) {
        String message = rejected(json);
        assertTrue(message.contains(expected), message);
    }

    @Test
    void resolvesReferencesAndNamesAMissingOne() {
        Map<String, String> values = Map.of("TOKEN", "s3cret");
        assertEquals("Bearer s3cret!", McpConfigFile.resolve("Bearer ${TOKEN}!", n -> Optional.ofNullable(values.get(n)),
                "server 'x'"));
        assertEquals("plain", McpConfigFile.resolve("plain", n -> Optional.empty(), "server 'x'"));
        String message = assertThrows(IllegalStateException.class, () -> McpConfigFile.resolve("${NOPE}",
                n -> Optional.empty(), "server 'x'")).getMessage();
        assertTrue(message.contains("'${NOPE}' is not set"), message);
    }
}
