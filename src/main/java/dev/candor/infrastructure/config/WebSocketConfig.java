package dev.candor.infrastructure.config;

import java.time.Duration;
import java.util.List;

/**
 * Chat WebSocket limits ({@code candor.ws.*}).
 *
 * @param maxFrameBytes   {@code candor.ws.max-frame-bytes}: largest inbound text frame; larger gets MESSAGE_TOO_LARGE
 * @param idleTimeout     {@code candor.ws.idle-timeout-ms}: a connection with no traffic for this long is closed
 * @param pingInterval    {@code candor.ws.ping-interval-ms}: how often the server pings every connection (0 = never)
 * @param maxConnections  {@code candor.ws.max-connections}: open connections per server; more get TOO_MANY_CONNECTIONS
 * @param maxQueuedFrames {@code candor.ws.max-queued-frames}: frames waiting for a slow client before it is closed
 * @param maxQueuedBytes  {@code candor.ws.max-queued-bytes}: bytes of those frames before it is closed
 * @param allowedOrigins  {@code candor.ws.allowed-origins}: origins allowed besides the server's own ({@code *}: any)
 * @param trustedProxies  {@code candor.ws.trusted-proxies}: balancers (addresses, CIDR blocks) whose X-Forwarded-For
 *                        and X-Forwarded-Proto are believed
 */
public record WebSocketConfig(int maxFrameBytes, Duration idleTimeout, Duration pingInterval, int maxConnections,
                              int maxQueuedFrames, long maxQueuedBytes, List<String> allowedOrigins,
                              List<String> trustedProxies) {
}
