package dev.candor.infrastructure.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.candor.infrastructure.cache.CacheKeys;
import dev.candor.infrastructure.cache.RedisClientProducer;
import dev.candor.infrastructure.config.CandorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Set;
import redis.clients.jedis.params.SetParams;

/**
 * Single-use WebSocket tickets, for browsers (which cannot set headers on a WebSocket). A ticket is 32 random bytes,
 * kept in Redis for candor.auth.ticket-ttl-ms with {@code SET NX PX} and taken with {@code GETDEL}, so it works on any
 * node and only once. It carries the identity of the token it was issued for, including that token's expiry.
 */
@ApplicationScoped
public class TicketStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    RedisClientProducer redis;

    @Inject
    CandorConfig config;

    /** A new ticket for {@code identity}, valid once, for candor.auth.ticket-ttl-ms. */
    public String issue(Identity identity) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        var value = JSON.createObjectNode().put("user", identity.userId()).put("name", identity.displayName())
                .put("exp", identity.expiresAt().equals(Instant.MAX) ? Long.MAX_VALUE
                        : identity.expiresAt().getEpochSecond());
        identity.groups().forEach(value.putArray("groups")::add);
        String stored = redis.client().set(CacheKeys.ticket(ticket), value.toString(),
                new SetParams().nx().px(ttl().toMillis()));
        if (!"OK".equals(stored)) {
            throw new IllegalStateException("a fresh random ticket already existed"); // 256 random bits: never
        }
        return ticket;
    }

    /** The identity a ticket was issued for; fails when it is unknown, used or expired. */
    public Identity redeem(String ticket) {
        if (ticket == null || ticket.isBlank() || ticket.length() > 100) {
            throw new AuthenticationFailedException("no valid ticket: get one from POST /api/ws-ticket");
        }
        String value = redis.client().getDel(CacheKeys.ticket(ticket));
        if (value == null) {
            throw new AuthenticationFailedException("the ticket is unknown, already used or expired: get a new one "
                    + "from POST /api/ws-ticket and connect within " + ttl().toSeconds() + " s");
        }
        try {
            JsonNode node = JSON.readTree(value);
            Set<String> groups = new LinkedHashSet<>();
            node.path("groups").forEach(g -> groups.add(g.asText()));
            long exp = node.path("exp").asLong();
            return new Identity(node.path("user").asText(), node.path("name").asText(), Set.copyOf(groups),
                    exp == Long.MAX_VALUE ? Instant.MAX : Instant.ofEpochSecond(exp));
        } catch (JsonProcessingException e) {
            throw new AuthenticationFailedException("the ticket could not be read: get a new one");
        }
    }

    public Duration ttl() {
        return config.auth().ticketTtl();
    }
}
