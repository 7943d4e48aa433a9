package dev.candor.interfaces.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class OriginsTest {

    @Test
    void allowsAClientThatSendsNoOrigin() {
        assertTrue(Origins.allowed(null, "http", "candor.example:8080", List.of()));
    }

    @Test
    void allowsTheServersOwnOriginFromTheHostHeader() {
        assertTrue(Origins.allowed("http://candor.example:8080", "http", "candor.example:8080", List.of()));
        assertTrue(Origins.allowed("HTTPS://Candor.Example", "https", "candor.example:443", List.of()));
        assertTrue(Origins.allowed("http://127.0.0.1:8080", "ws", "127.0.0.1:8080", List.of()));
    }

    @Test
    void refusesAnotherOriginUnlessConfigured() {
        assertFalse(Origins.allowed("https://evil.example", "http", "candor.example:8080", List.of()));
        assertFalse(Origins.allowed("http://candor.example:9090", "http", "candor.example:8080", List.of()));
        assertFalse(Origins.allowed("https://candor.example:8080", "http", "candor.example:8080", List.of()));
        assertTrue(Origins.allowed("https://app.example", "http", "candor.example:8080",
                List.of("https://other.example", "https://app.example/")));
        assertTrue(Origins.allowed("https://evil.example", "http", "candor.example:8080", List.of("*")));
    }

    @Test
    void refusesWhatIsNotAnOrigin() {
        assertFalse(Origins.allowed("null", "http", "candor.example", List.of()));
        assertFalse(Origins.allowed("https://candor.example/page", "http", "candor.example", List.of()));
        assertNull(Origins.normalize("not a uri"));
        assertEquals("http://a.example", Origins.normalize("http://a.example:80"));
    }
}
