package dev.candor.application.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class ConnectionMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ConnectionMetrics metrics = new ConnectionMetrics(registry);

    @Test
    void openConnectionsFollowOpensAndClosesAndClosesCountByCode() {
        metrics.start();
        metrics.opened();
        metrics.opened();
        metrics.closed(1011);
        assertEquals(1.0, registry.get("candor.connections.open").gauge().value());
        assertEquals(2.0, registry.get("candor.connections.opened").counter().count());
        assertEquals(1.0, registry.get("candor.connections.closed").tag("code", "1011").counter().count());
    }

    @Test
    void closeCodesAClientMayChooseShareOneTag() {
        metrics.start();
        for (int code : new int[] {4000, 4001, 3999, 999, 1000, 1015}) {
            metrics.closed(code);
        }
        assertEquals(4.0, registry.get("candor.connections.closed").tag("code", "other").counter().count());
        assertEquals(1.0, registry.get("candor.connections.closed").tag("code", "1015").counter().count());
        assertEquals(3, registry.find("candor.connections.closed").counters().size(), "1000, 1015 and other");
    }

    @Test
    void setupOutcomesAreLowerCaseTags() {
        metrics.setUp(ConnectionMetrics.Setup.INIT_FAILED);
        metrics.setUp(ConnectionMetrics.Setup.CLIENT_LEFT);
        assertEquals(1.0, registry.get("candor.connections.setup").tag("outcome", "init_failed").counter().count());
        assertEquals(1.0, registry.get("candor.connections.setup").tag("outcome", "client_left").counter().count());
    }
}
