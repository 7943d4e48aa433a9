package dev.candor.infrastructure.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.application.ErrorCode;
import dev.candor.infrastructure.config.AuthConfig;
import dev.candor.infrastructure.config.CandorConfig;
import dev.candor.infrastructure.config.KeyManager;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwx.HeaderParameterNames;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;

/**
 * The verifier against tokens signed here with jose4j: a valid one, and each way a token can be wrong. Each refusal
 * is AUTH_FAILED with a message that says what kind of problem it is and nothing of the token.
 */
class TokenVerifierTest {

    private static final String ISSUER = "https://sso.example.test/realms/candor";
    private static final String AUDIENCE = "candor";

    private final RsaJsonWebKey key = rsa("key-1");
    private final RsaJsonWebKey other = rsa("key-1"); // same kid, different key: a forged signature
    private final RsaJsonWebKey rotated = rsa("key-2");
    private final AtomicInteger refreshes = new AtomicInteger();
    private volatile KeyManager.Jwks published = jwks(key);
    private final TokenVerifier verifier = verifier(Optional.empty());

    private TokenVerifier verifier(Optional<String> role) {
        TokenVerifier created = new TokenVerifier();
        created.config = new CandorConfig() {
            @Override
            public AuthConfig auth() {
                return new AuthConfig(true, Optional.of(ISSUER), Optional.of(AUDIENCE), Optional.empty(), "sub",
                        List.of("preferred_username", "name"), role, "RS256", Duration.ofSeconds(5),
                        Duration.ofSeconds(30), "candor-web", "openid profile", Duration.ofSeconds(30));
            }
        };
        created.keys = new KeyManager() {
            @Override
            public Optional<Jwks> jwks() {
                return Optional.of(published);
            }

            @Override
            public boolean refreshKeys() {
                refreshes.incrementAndGet();
                published = TokenVerifierTest.jwks(key, rotated);
                return true;
            }
        };
        return created;
    }

    @Test
    void aValidTokenNamesItsUser() throws Exception {
        Identity identity = verifier.verify(sign(key, claims()));
        assertEquals("user-123", identity.userId());
        assertEquals("alice", identity.displayName());
        assertEquals(Set.of("candor-user"), identity.groups());
        assertTrue(identity.expiresAt().isAfter(Instant.now()));
        assertTrue(verifier.permitted(identity));
    }

    @Test
    void expiredWrongIssuerWrongAudienceForgedNoneAndMissingAreRefused() throws Exception {
        JwtClaims expired = claims();
        expired.setExpirationTime(NumericDate.fromSeconds(Instant.now().minusSeconds(60).getEpochSecond()));
        assertRefused(sign(key, expired), "expired");

        JwtClaims issuer = claims();
        issuer.setIssuer("https://evil.example/realms/candor");
        assertRefused(sign(key, issuer), "not valid here");

        JwtClaims audience = claims();
        audience.setAudience("another-app");
        assertRefused(sign(key, audience), "not valid here");

        assertRefused(sign(other, claims()), "not valid here");

        JsonWebSignature none = new JsonWebSignature();
        none.setPayload(claims().toJson());
        none.setAlgorithmHeaderValue(AlgorithmIdentifiers.NONE);
        none.setAlgorithmConstraints(org.jose4j.jwa.AlgorithmConstraints.NO_CONSTRAINTS);
        assertRefused(none.getCompactSerialization(), "not valid here");

        JsonWebSignature hmac = new JsonWebSignature(); // the public key used as an HMAC secret
        hmac.setPayload(claims().toJson());
        hmac.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        hmac.setKey(new HmacKey(key.getPublicKey().getEncoded()));
        hmac.setKeyIdHeaderValue("key-1");
        assertRefused(hmac.getCompactSerialization(), "not valid here");

        assertRefused(null, "no credentials");
        assertRefused("not.a.token", "not valid here");
    }

    @Test
    void aTokenFromARotatedKeyRefreshesTheKeysOnce() throws Exception {
        Identity identity = verifier.verify(sign(rotated, claims()));
        assertEquals("user-123", identity.userId());
        assertEquals(1, refreshes.get());
        verifier.verify(sign(rotated, claims()));
        assertEquals(1, refreshes.get(), "the new key is known now");
    }

    @Test
    void theConfiguredRoleIsRequired() throws Exception {
        TokenVerifier strict = verifier(Optional.of("candor-admin"));
        Identity identity = strict.verify(sign(key, claims()));
        assertTrue(!strict.permitted(identity), "a user without the group is not permitted");
    }

    private void assertRefused(String token, String reason) {
        AuthenticationFailedException refused = assertThrows(AuthenticationFailedException.class,
                () -> verifier.verify(token));
        assertEquals(ErrorCode.AUTH_FAILED, refused.code());
        assertTrue(refused.getMessage().contains(reason), refused.getMessage());
    }

    private static JwtClaims claims() {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER);
        claims.setAudience(AUDIENCE);
        claims.setSubject("user-123");
        claims.setClaim("preferred_username", "alice");
        claims.setStringListClaim("groups", "candor-user");
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(5);
        return claims;
    }

    private static String sign(RsaJsonWebKey key, JwtClaims claims) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setHeader(HeaderParameterNames.TYPE, "JWT");
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        return jws.getCompactSerialization();
    }

    private static RsaJsonWebKey rsa(String kid) {
        try {
            RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
            key.setKeyId(kid);
            key.setUse("sig");
            key.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
            return key;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyManager.Jwks jwks(RsaJsonWebKey... keys) {
        return new KeyManager.Jwks(new JsonWebKeySet(keys).toJson(), keys.length, System.nanoTime());
    }
}
