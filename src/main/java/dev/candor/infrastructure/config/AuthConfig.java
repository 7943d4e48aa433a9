package dev.candor.infrastructure.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Authentication ({@code candor.auth.*}).
 *
 * @param oidc           {@code candor.auth.mode} is {@code oidc} (else {@code none}: one local user, development only)
 * @param issuer         {@code candor.auth.issuer}: the {@code iss} every token must carry
 * @param audience       {@code candor.auth.audience}: a value every token's {@code aud} must contain
 * @param jwksUrl        {@code candor.auth.jwks-url}: the keys; empty = from the issuer's discovery document
 * @param userClaim      {@code candor.auth.user-claim}: the claim naming the user
 * @param nameClaims     {@code candor.auth.name-claims}: claims tried for the display name
 * @param role           {@code candor.auth.role}: a group every user must have; empty = any valid token
 * @param algorithm      {@code candor.auth.algorithm}: the signature algorithm tokens must use
 * @param jwksTimeout    {@code candor.auth.jwks-timeout-ms}: bound of each fetch of the discovery document or keys
 * @param jwksMinRefresh {@code candor.auth.jwks-min-refresh-ms}: an unknown key refreshes the keys at most this often
 * @param clientId       {@code candor.auth.client-id}: the page's public client
 * @param scope          {@code candor.auth.scope}: the scopes the page asks for when it signs in
 * @param ticketTtl      {@code candor.auth.ticket-ttl-ms}: life of a WebSocket ticket
 */
public record AuthConfig(boolean oidc, Optional<String> issuer, Optional<String> audience, Optional<String> jwksUrl,
                         String userClaim, List<String> nameClaims, Optional<String> role, String algorithm,
                         Duration jwksTimeout, Duration jwksMinRefresh, String clientId, String scope,
                         Duration ticketTtl) {

    static boolean parseMode(String mode) {
        return switch (mode.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "oidc" -> true;
            case "none" -> false;
            default -> throw new IllegalArgumentException("CANDOR_AUTH_MODE must be 'oidc' or 'none', not '" + mode
                    + "'");
        };
    }
}
