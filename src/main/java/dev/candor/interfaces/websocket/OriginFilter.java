package dev.candor.interfaces.websocket;

import dev.candor.application.metrics.ConnectionMetrics;
import dev.candor.infrastructure.config.CandorConfig;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Runs before the WebSocket upgrade of {@code /ws/chat} (the container's upgrade filter comes after the
 * application's): an {@code Origin} that is not allowed is answered 403 and no WebSocket is opened. It also puts the
 * client's address on the request, in a header no client can set, for the per-address connection limit. Behind a
 * load balancer named in {@code candor.ws.trusted-proxies}, the address and the scheme are the ones it forwards.
 */
@WebFilter(urlPatterns = "/ws/chat", asyncSupported = true)
public class OriginFilter extends HttpFilter {

    private static final Logger LOG = Logger.getLogger(OriginFilter.class.getName());
    static final String CLIENT_ADDRESS_HEADER = "X-Candor-Client-Address";

    @Inject
    CandorConfig config;

    @Inject
    ConnectionMetrics metrics;

    private TrustedProxies trusted;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String origin = request.getHeader("Origin");
        TrustedProxies.Client client = trusted.client(request.getRemoteAddr(), request.getScheme(),
                Collections.list(request.getHeaders("X-Forwarded-For")), request.getHeader("X-Forwarded-Proto"));
        if (!Origins.allowed(origin, client.scheme(), request.getHeader("Host"),
                config.webSocket().allowedOrigins())) {
            LOG.fine(() -> "WebSocket upgrade from origin " + origin + " refused (403)");
            metrics.setUp(ConnectionMetrics.Setup.REFUSED);
            response.sendError(HttpServletResponse.SC_FORBIDDEN, "origin not allowed");
            return;
        }
        chain.doFilter(new WithClientAddress(request, client.address()), response);
    }

    /** A malformed candor.ws.trusted-proxies fails the deployment, naming the entry. */
    @Override
    public void init() throws ServletException {
        trusted = TrustedProxies.of(config.webSocket().trustedProxies());
    }

    /** The request with the client's address in {@link #CLIENT_ADDRESS_HEADER}, replacing any the client sent. */
    private static final class WithClientAddress extends HttpServletRequestWrapper {

        private final String address;

        WithClientAddress(HttpServletRequest request, String address) {
            super(request);
            this.address = address;
        }

        @Override
        public String getHeader(String name) {
            return CLIENT_ADDRESS_HEADER.equalsIgnoreCase(name) ? address : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return CLIENT_ADDRESS_HEADER.equalsIgnoreCase(name) ? Collections.enumeration(List.of(address))
                    : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            return Collections.enumeration(Stream.concat(Collections.list(super.getHeaderNames()).stream()
                    .filter(n -> !CLIENT_ADDRESS_HEADER.equalsIgnoreCase(n)), Stream.of(CLIENT_ADDRESS_HEADER))
                    .toList());
        }
    }
}
