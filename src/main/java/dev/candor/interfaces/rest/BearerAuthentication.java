package dev.candor.interfaces.rest;

import dev.candor.application.CandorException;
import dev.candor.application.ErrorCode;
import dev.candor.infrastructure.security.Identity;
import dev.candor.infrastructure.security.TokenVerifier;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.ext.Provider;
import java.security.Principal;
import java.util.Set;

/**
 * Authenticates every REST call but the public ones ({@code /api/client-config}) with its bearer token, through the
 * same {@link TokenVerifier} as the WebSocket, and installs the caller as the request's {@link SecurityContext}:
 * resources read their owner from it, and {@code @RolesAllowed(USER)} is enforced by RESTEasy (context parameter
 * {@code resteasy.role.based.security} in web.xml). Without a valid token: 401 {@code AUTH_FAILED}; without the
 * configured role: 403.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class BearerAuthentication implements ContainerRequestFilter {

    /** The logical role of a Candor user: held by every authenticated caller who has candor.auth.role (if set). */
    public static final String USER = "candor-user";

    private static final Set<String> PUBLIC = Set.of("client-config");

    @Inject
    TokenVerifier verifier;

    @Override
    public void filter(ContainerRequestContext request) {
        if (PUBLIC.contains(request.getUriInfo().getPath().replaceAll("^/+|/+$", ""))) {
            return;
        }
        Identity identity = verifier.verify(bearer(request.getHeaderString(HttpHeaders.AUTHORIZATION)));
        boolean secure = request.getSecurityContext().isSecure();
        boolean permitted = verifier.permitted(identity);
        request.setSecurityContext(new SecurityContext() {
            @Override
            public Principal getUserPrincipal() {
                return identity;
            }

            @Override
            public boolean isUserInRole(String role) {
                return USER.equals(role) && permitted;
            }

            @Override
            public boolean isSecure() {
                return secure;
            }

            @Override
            public String getAuthenticationScheme() {
                return "Bearer";
            }
        });
    }

    /** The token of an {@code Authorization: Bearer <token>} header; null when there is none. */
    public static String bearer(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return null;
        }
        String[] parts = authorization.trim().split("\\s+", 2);
        if (parts.length != 2 || !"bearer".equalsIgnoreCase(parts[0])) {
            throw new CandorException(ErrorCode.AUTH_FAILED, "the Authorization header must be 'Bearer <token>'",
                    false);
        }
        return parts[1];
    }
}
