package dev.candor.interfaces.websocket;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Which {@code Origin} may open the chat WebSocket: none (not a browser), the server's own
 * ({@code scheme://host[:port]} of the request's Host header, ws becoming http), one of the configured ones, or any
 * when {@code *} is configured.
 */
final class Origins {

    private Origins() {
    }

    static boolean allowed(String origin, String requestScheme, String host, List<String> configured) {
        if (origin == null) {
            return true;
        }
        if (configured.contains("*")) {
            return true;
        }
        String normalized = normalize(origin);
        if (normalized == null) {
            return false;
        }
        if (host != null && normalized.equals(normalize(httpScheme(requestScheme) + "://" + host))) {
            return true;
        }
        return configured.stream().map(Origins::normalize).anyMatch(normalized::equals);
    }

    /** {@code scheme://host[:port]} in lower case, without a default port; null when it is not such an origin. */
    static String normalize(String origin) {
        try {
            URI uri = new URI(origin.trim());
            String scheme = uri.getScheme();
            String host = uri.getHost();
            if (scheme == null || host == null || uri.getRawPath() != null && !uri.getRawPath().isEmpty()
                    && !uri.getRawPath().equals("/") || uri.getRawQuery() != null || uri.getUserInfo() != null) {
                return null;
            }
            scheme = scheme.toLowerCase(Locale.ROOT);
            int port = uri.getPort();
            boolean defaultPort = port == -1 || scheme.equals("http") && port == 80 || scheme.equals("https")
                    && port == 443;
            return scheme + "://" + host.toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    private static String httpScheme(String scheme) {
        String lower = scheme == null ? "http" : scheme.toLowerCase(Locale.ROOT);
        return switch (lower) {
            case "ws" -> "http";
            case "wss" -> "https";
            default -> lower;
        };
    }
}
