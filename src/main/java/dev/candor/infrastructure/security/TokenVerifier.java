package dev.candor.infrastructure.security;

import dev.candor.application.CandorException;
import dev.candor.application.ErrorCode;
import dev.candor.infrastructure.config.AuthConfig;
import dev.candor.infrastructure.config.CandorConfig;
import dev.candor.infrastructure.config.KeyManager;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.lang.UnresolvableKeyException;

/**
 * Verifies bearer tokens with MicroProfile JWT (SmallRye, as WildFly ships it): signature against the provider's
 * keys from the {@link KeyManager}, the one configured algorithm ({@code alg: none} never passes), issuer, audience
 * and expiry. A token signed with a key the set lacks refreshes the keys once (bounded) and is verified again. The
 * same verifier serves REST, the WebSocket handshake and {@code reauthenticate}.
 */
@ApplicationScoped
public class TokenVerifier {

    private static final Logger LOG = Logger.getLogger(TokenVerifier.class.getName());

    @Inject
    CandorConfig config;

    @Inject
    KeyManager keys;

    private volatile Parser parser;

    private record Parser(KeyManager.Jwks keys, DefaultJWTParser parser) {
    }

    /** The caller behind {@code token}, or {@link AuthenticationFailedException} saying what is wrong with it. */
    public Identity verify(String token) {
        AuthConfig auth = config.auth();
        if (!auth.oidc()) {
            return Identity.LOCAL;
        }
        if (token == null || token.isBlank()) {
            throw new AuthenticationFailedException("no credentials: send a bearer token from the identity provider");
        }
        JsonWebToken jwt;
        try {
            jwt = parser().parser().parse(token);
        } catch (ParseException e) {
            if (unknownKey(e) && keys.refreshKeys()) {
                try {
                    jwt = parser().parser().parse(token);
                } catch (ParseException again) {
                    throw rejected(again);
                }
            } else {
                throw rejected(e);
            }
        }
        return identity(jwt, auth);
    }

    private Identity identity(JsonWebToken jwt, AuthConfig auth) {
        Object subject = jwt.getClaim(auth.userClaim());
        if (subject == null || subject.toString().isBlank()) {
            throw new AuthenticationFailedException("the token has no '" + auth.userClaim() + "' claim naming the user");
        }
        String userId = unquote(subject.toString());
        String name = auth.nameClaims().stream().map(jwt::getClaim).filter(c -> c != null && !c.toString().isBlank())
                .map(c -> unquote(c.toString())).findFirst().orElse(userId);
        Set<String> groups = new LinkedHashSet<>(Optional.ofNullable(jwt.getGroups()).orElse(Set.of()));
        return new Identity(userId, name, Set.copyOf(groups), Instant.ofEpochSecond(jwt.getExpirationTime()));
    }

    /** True when the identity holds the role Candor requires (any valid token when none is configured). */
    public boolean permitted(Identity identity) {
        Optional<String> role = config.auth().role();
        return identity == Identity.LOCAL || role.isEmpty() || identity.groups().contains(role.get());
    }

    private Parser parser() {
        KeyManager.Jwks current = keys.jwks().orElseThrow(() -> new CandorException(ErrorCode.NOT_READY,
                "Candor is starting: the identity provider's keys are not loaded yet (phase DEPENDENCIES)", true));
        Parser existing = parser;
        if (existing != null && existing.keys() == current) {
            return existing;
        }
        AuthConfig auth = config.auth();
        JWTAuthContextInfo info = new JWTAuthContextInfo();
        info.setPublicKeyContent(current.json());
        info.setIssuedBy(auth.issuer().orElseThrow());
        info.setExpectedAudience(Set.of(auth.audience().orElseThrow()));
        info.setSignatureAlgorithm(SignatureAlgorithm.fromAlgorithm(auth.algorithm()));
        info.setRequiredClaims(Set.of("exp", "iat"));
        info.setExpGracePeriodSecs(0);
        Parser created = new Parser(current, new DefaultJWTParser(info));
        parser = created;
        return created;
    }

    private static boolean unknownKey(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UnresolvableKeyException) {
                return true;
            }
        }
        return false;
    }

    /** A reason the caller may see: what kind of problem, never the token's content or the library's text. */
    private static AuthenticationFailedException rejected(ParseException e) {
        LOG.log(Level.FINE, "token rejected", e);
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InvalidJwtException invalid && invalid.hasExpired()) {
                return new AuthenticationFailedException("the token has expired: sign in again or send a fresh one");
            }
        }
        if (unknownKey(e)) {
            return new AuthenticationFailedException("the token is signed with a key the identity provider does not "
                    + "publish");
        }
        return new AuthenticationFailedException("the token is not valid here (its signature, algorithm, issuer or "
                + "audience does not match what Candor accepts)");
    }

    private static String unquote(String text) {
        return text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")
                ? text.substring(1, text.length() - 1) : text;
    }
}
