package dev.candor.interfaces.web;

import dev.candor.infrastructure.config.CandorConfig;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Every response gets a Content-Security-Policy that lets the page run only the scripts and styles the WAR serves
 * (no inline script, no CDN, no plugins, not framable) and talk only to its own origin, WebSocket included, and, with
 * {@code candor.auth.mode=oidc}, to the identity provider's origin (from candor.auth.issuer: its discovery document
 * and token endpoint, which the page's OpenID Connect client calls; sign-in and sign-out are navigations). The page
 * and its static files (everything outside {@code /api/} and {@code /ws/}) are {@code no-cache}: browsers may keep
 * them but revalidate each time, so a redeploy never leaves a tab mixing old and new modules.
 */
@WebFilter(filterName = "PageHeadersFilter", urlPatterns = "/*", asyncSupported = true)
public class PageHeadersFilter extends HttpFilter {

    static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'; connect-src 'self'";

    /** A host name, IPv4 or bracketed IPv6 address, with an optional port: safe to repeat inside the policy. */
    private static final Pattern HOST = Pattern.compile("(?:[A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}\\])(?::\\d{1,5})?");

    @Inject
    CandorConfig config;

    private volatile String issuerOrigin;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        response.setHeader("Content-Security-Policy", policy(request.getHeader("Host"), issuerOrigin()));
        response.setHeader("X-Content-Type-Options", "nosniff");
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (!path.startsWith("/api/") && !path.startsWith("/ws/")) {
            response.setHeader("Cache-Control", "no-cache");
        }
        chain.doFilter(request, response);
    }

    /** The issuer's origin with oidc, else "" (read once: settings do not change while deployed). */
    private String issuerOrigin() {
        String origin = issuerOrigin;
        if (origin == null) {
            origin = config.auth().oidc() ? config.auth().issuer().map(PageHeadersFilter::origin).orElse("") : "";
            issuerOrigin = origin;
        }
        return origin;
    }

    /** {@code scheme://host[:port]} of an http(s) URL, or "" when it is not one the policy can safely name. */
    static String origin(String url) {
        try {
            URI uri = URI.create(url.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            String authority = uri.getRawAuthority();
            if (!scheme.equals("https") && !scheme.equals("http") || authority == null || authority.contains("@")
                    || !HOST.matcher(authority).matches()) {
                return "";
            }
            return scheme + "://" + authority;
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    /** The policy for a request to {@code host}, letting the page also fetch from {@code issuerOrigin} if not "". */
    static String policy(String host, String issuerOrigin) {
        String policy = policy(host);
        return issuerOrigin == null || issuerOrigin.isEmpty() ? policy : policy + " " + issuerOrigin;
    }

    /**
     * The policy for a request to {@code host}. {@code 'self'} covers the page's own ws: and wss: URLs in current
     * browsers; older ones need them spelled out, so they are added when the Host header is a plain host[:port].
     */
    static String policy(String host) {
        if (host == null || !HOST.matcher(host).matches()) {
            return POLICY;
        }
        return POLICY + " ws://" + host + " wss://" + host;
    }
}
