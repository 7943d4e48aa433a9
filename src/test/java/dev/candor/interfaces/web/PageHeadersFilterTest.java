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

    @Test
    void withSignInThePageMayAlsoCallTheIdentityProvider() {
        String origin = PageHeadersFilter.origin("https://login.example.com:8443/realms/candor");
        assertEquals("https://login.example.com:8443", origin);
        String policy = PageHeadersFilter.policy("candor.example", origin);
        assertTrue(policy.endsWith("connect-src 'self' ws://candor.example wss://candor.example "
                + "https://login.example.com:8443"), policy);
        assertEquals(PageHeadersFilter.policy("candor.example"), PageHeadersFilter.policy("candor.example", ""));
    }

    @Test
    void anIssuerThatIsNotAPlainHttpUrlAddsNothing() {
        assertEquals("", PageHeadersFilter.origin("javascript:alert(1)"));
        assertEquals("", PageHeadersFilter.origin("https://user@idp.example/"));
        assertEquals("", PageHeadersFilter.origin("https://idp.example; script-src */x"));
        assertEquals("", PageHeadersFilter.origin("not a url"));
        assertEquals("http://127.0.0.1:41234", PageHeadersFilter.origin("http://127.0.0.1:41234/realms/candor"));
    }
}
