package dev.candor.interfaces.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {

    private final TrustedProxies proxies = TrustedProxies.of(List.of("10.0.0.0/8", "192.168.1.7", "fd00::/8"));

    @Test
    void addressesAndBlocksMatchExactly() {
        assertTrue(proxies.trusts("10.200.3.4"));
        assertFalse(proxies.trusts("11.0.0.1"));
        assertTrue(proxies.trusts("192.168.1.7"));
        assertFalse(proxies.trusts("192.168.1.8"));
        assertTrue(proxies.trusts("fd12::1"));
        assertFalse(proxies.trusts("fe80::1"));
        assertFalse(proxies.trusts("not-an-address"), "never a DNS lookup");
        assertFalse(proxies.trusts("x:1"), "a colon does not make a host name an IPv6 literal");
        assertFalse(proxies.trusts("fd00::1%eth0"), "no zone ids");
        assertTrue(TrustedProxies.of(List.of("172.16.0.0/12")).trusts("172.31.255.255"));
        assertFalse(TrustedProxies.of(List.of("172.16.0.0/12")).trusts("172.32.0.0"));
    }

    @Test
    void aTrustedBalancerNamesTheClientAndItsScheme() {
        TrustedProxies.Client client = proxies.client("10.0.0.5", "http", List.of("203.0.113.9"), "https");
        assertEquals(new TrustedProxies.Client("203.0.113.9", "https"), client);
    }

    @Test
    void theClientIsTheFirstUntrustedHopFromTheRight() {
        // The client put a forged address first; the balancers appended what they saw.
        TrustedProxies.Client client = proxies.client("10.0.0.5", "http",
                List.of("1.2.3.4, 203.0.113.9", "10.0.0.9"), null);
        assertEquals("203.0.113.9", client.address());
        assertEquals("http", client.scheme());
    }

    @Test
    void theSchemeIsTheOneTheNearestBalancerSet() {
        // A client sent "https" itself; the balancer appended what it saw.
        assertEquals("http", proxies.client("10.0.0.5", "http", List.of("203.0.113.9"), "https, http").scheme());
    }

    @Test
    void headersFromAnUntrustedPeerAreIgnored() {
        TrustedProxies.Client client = proxies.client("198.51.100.2", "http", List.of("10.0.0.1"), "https");
        assertEquals(new TrustedProxies.Client("198.51.100.2", "http"), client);
        assertEquals(new TrustedProxies.Client("198.51.100.2", "http"),
                TrustedProxies.of(List.of()).client("198.51.100.2", "http", List.of("1.1.1.1"), "https"));
    }

    @Test
    void aTrustedPeerWithoutHeadersIsTheClient() {
        assertEquals(new TrustedProxies.Client("10.0.0.5", "http"),
                proxies.client("10.0.0.5", "http", List.of(), "gopher"));
    }

    @Test
    void malformedEntriesAreRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrustedProxies.of(List.of("balancer.example.com")));
        assertTrue(e.getMessage().contains("balancer.example.com"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TrustedProxies.of(List.of("10.0.0.0/33")));
    }
}
