package dev.candor.infrastructure.security;

import java.security.Principal;
import java.time.Instant;
import java.util.Set;

/**
 * Who a caller is: the user id everything they own is keyed by, a name to show, their groups, and when the credential
 * they presented stops being valid ({@link Instant#MAX} for the local user of {@code none} mode).
 */
public record Identity(String userId, String displayName, Set<String> groups, Instant expiresAt) implements Principal {

    /** The single user of {@code candor.auth.mode=none} ("anonymous", the owner of histories kept before sign-in). */
    public static final Identity LOCAL = new Identity("anonymous", "Local user (no sign-in)", Set.of(), Instant.MAX);

    @Override
    public String getName() {
        return userId;
    }

    public boolean expired(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
