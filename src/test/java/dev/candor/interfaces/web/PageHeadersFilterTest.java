package dev.candor.interfaces.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PageHeadersFilterTest {

    @Test
    void allowsOnlyTheOwnOriginForScriptsAndSockets() {
        String policy = PageHeadersFilter.policy("candor.example:8443");
        assertTrue(policy.contains("script-src 'self';"), policy);
        assertTrue(policy.contains("object-src 'none';"), policy);
        assertTrue(policy.contains("frame-ancestors 'none';"), policy);
        assertTrue(policy.endsWith("connect-src 'self' ws://candor.example:8443 wss://candor.example:8443"), policy);
    }

    @Test
    void spellsOutIpv6Hosts() {
        assertTrue(PageHeadersFilter.policy("[::1]:8080").endsWith(" ws://[::1]:8080 wss://[::1]:8080"));
    }

    @Test
    void aHostHeaderThatIsNotAPlainHostAddsNothing() {
        assertEquals(PageHeadersFilter.POLICY, PageHeadersFilter.policy("evil; script-src *"));
        assertEquals(PageHeadersFilter.POLICY, PageHeadersFilter.policy("a b"));
        assertEquals(PageHeadersFilter.POLICY, PageHeadersFilter.policy(null));
    }
}
