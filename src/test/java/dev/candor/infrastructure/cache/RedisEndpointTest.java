package dev.candor.infrastructure.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.infrastructure.config.RedisConfig;
import dev.candor.infrastructure.config.Secret;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;

class RedisEndpointTest {

    @Test
    void aServerUrlKeepsHostDatabaseUserPasswordAndTls() {
        RedisEndpoint endpoint = RedisEndpoint.parse("rediss://app:s3cret@cache.internal:6380/2", Optional.empty());
        assertEquals(RedisEndpoint.Mode.STANDALONE, endpoint.mode());
        assertEquals(List.of(new HostAndPort("cache.internal", 6380)), endpoint.nodes());
        assertEquals(2, endpoint.database());
        assertEquals(Optional.of("app"), endpoint.user());
        assertEquals("s3cret", endpoint.password().orElseThrow().reveal());
        assertTrue(endpoint.tls());
    }

    @Test
    void aSentinelUrlNamesTheSentinelsTheMasterAndTheDatabase() {
        RedisEndpoint endpoint = RedisEndpoint.parse("redis-sentinel://:p%40ss@s1:26379,s2:26380,s3/main/3",
                Optional.empty());
        assertEquals(RedisEndpoint.Mode.SENTINEL, endpoint.mode());
        assertEquals(List.of(new HostAndPort("s1", 26379), new HostAndPort("s2", 26380), new HostAndPort("s3", 26379)),
                endpoint.nodes());
        assertEquals(Optional.of("main"), endpoint.master());
        assertEquals(3, endpoint.database());
        assertEquals(Optional.empty(), endpoint.user());
        assertEquals("p@ss", endpoint.password().orElseThrow().reveal());
        assertFalse(endpoint.tls());
    }

    @Test
    void aClusterUrlNamesItsSeedNodesAndTakesThePasswordSettingWhenItHasNone() {
        RedisEndpoint endpoint = RedisEndpoint.parse("rediss-cluster://n1:7000,n2:7001", Optional.of(new Secret("x")));
        assertEquals(RedisEndpoint.Mode.CLUSTER, endpoint.mode());
        assertEquals(List.of(new HostAndPort("n1", 7000), new HostAndPort("n2", 7001)), endpoint.nodes());
        assertEquals("x", endpoint.password().orElseThrow().reveal());
        assertTrue(endpoint.tls());
    }

    @Test
    void aPlusInThePasswordIsAPlusInEveryUrlForm() {
        for (String url : List.of("redis://app:a+b%2Fc@h:1/0", "redis-sentinel://app:a+b%2Fc@s1:26379/main",
                "redis-cluster://app:a+b%2Fc@n1:7000")) {
            assertEquals("a+b/c", RedisEndpoint.parse(url, Optional.empty()).password().orElseThrow().reveal(), url);
        }
    }

    @Test
    void neverShowsThePassword() {
        for (String url : List.of("redis://:hunter2@h:1/0", "redis-sentinel://u:hunter2@h:2/m",
                "redis-cluster://u:hunter2@h:3")) {
            String shown = RedisEndpoint.parse(url, Optional.empty()).toString();
            assertFalse(shown.contains("hunter2"), shown);
        }
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> RedisEndpoint.parse("redis-sentinel://u:hunter2@h:2", Optional.empty()));
        assertFalse(bad.getMessage().contains("hunter2"), bad.getMessage());
    }

    @Test
    void refusesWhatItCannotUse() {
        for (String url : List.of("http://h:1", "redis-sentinel://h:1", "redis-sentinel://h:1/m/x",
                "redis-cluster://h:1/0", "redis-cluster://h:x", "redis-cluster://")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> RedisEndpoint.parse(url, Optional.empty()), url);
            assertTrue(e.getMessage().contains("redis-sentinel://"), e.getMessage());
        }
    }

    @Test
    void withNoUrlTheSentinelSettingsNameTheSameEndpointAndNeverBesideAUrl() {
        RedisEndpoint fromSettings = RedisEndpoint.of(settings(null, "main", "s1:26379, s2"));
        RedisEndpoint fromUrl = RedisEndpoint.parse("redis-sentinel://s1:26379,s2/main", Optional.empty());
        assertEquals(fromUrl.toString(), fromSettings.toString());
        assertEquals("pw", fromSettings.password().orElseThrow().reveal());
        assertThrows(IllegalArgumentException.class, () -> RedisEndpoint.of(settings("redis://h:1", "main", "s1")));
        assertThrows(IllegalArgumentException.class, () -> RedisEndpoint.of(settings(null, null, "s1")));
    }

    private static RedisConfig settings(String url, String master, String sentinels) {
        return new RedisConfig(Optional.ofNullable(url), Optional.ofNullable(master), Optional.ofNullable(sentinels),
                Optional.of(new Secret("pw")), Optional.empty(), false, Optional.empty(), Duration.ofSeconds(2),
                Duration.ZERO, 64, Duration.ofSeconds(2));
    }
}
