package dev.candor.infrastructure.cache;

import dev.candor.application.agent.ApprovalAnswered;
import dev.candor.application.agent.RunApprovals;
import dev.candor.infrastructure.config.CandorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.SetParams;

/**
 * Approvals in Redis. {@code candor:run:{<id>}:approval} holds the awaited call id while the run's node waits (kept for
 * the wait's bound plus a lease, candor.runs.lease-ms); an answer given on another node replaces it, atomically and
 * only while it still names that call, by the call id and the answer, and is published on {@code candor:approval},
 * which {@link RedisRunBroadcasts} hears on every node. Both the value and the message separate their parts with a
 * line feed, which no id contains.
 */
@ApplicationScoped
public class RedisRunApprovals implements RunApprovals {

    private static final String SEPARATOR = "\n";

    /** KEYS[1]: the approval; ARGV: call id, answer (1 or 0), channel, message. 1 when handed over, 0 otherwise. */
    private static final String ANSWER = """
            if redis.call('GET', KEYS[1]) ~= ARGV[1] then
              return 0
            end
            redis.call('SET', KEYS[1], ARGV[1] .. '\\n' .. ARGV[2], 'KEEPTTL')
            redis.call('PUBLISH', ARGV[3], ARGV[4])
            return 1
            """;

    /** KEYS[1]: the approval; ARGV[1]: call id. Removes it while it concerns that call (awaited or answered). */
    private static final String END = """
            local value = redis.call('GET', KEYS[1])
            if value == ARGV[1] or (value and string.sub(value, 1, #ARGV[1] + 1) == ARGV[1] .. '\\n') then
              return redis.call('DEL', KEYS[1])
            end
            return 0
            """;

    @Inject
    RedisClientProducer redis;

    @Inject
    CandorConfig config;

    @Override
    public void awaiting(String runId, String callId, Duration bound) {
        long ttlMs = bound.toMillis() + config.agent().lease().toMillis();
        redis.client().set(CacheKeys.runApproval(runId), callId, new SetParams().px(ttlMs));
    }

    @Override
    public void ended(String runId, String callId) {
        redis.client().eval(END, List.of(CacheKeys.runApproval(runId)), List.of(callId));
    }

    @Override
    public boolean answer(String runId, String callId, boolean approved) {
        String answer = approved ? "1" : "0";
        Object handed = redis.client().eval(ANSWER, List.of(CacheKeys.runApproval(runId)), List.of(callId, answer,
                CacheKeys.approvalChannel(), String.join(SEPARATOR, runId, callId, answer)));
        return ((Number) handed).intValue() == 1;
    }

    @Override
    public Map<String, Boolean> answered(Map<String, String> awaited) {
        if (awaited.isEmpty()) {
            return Map.of();
        }
        Map<String, Response<String>> values = new HashMap<>();
        try (AbstractPipeline pipeline = redis.pipelined()) {
            awaited.keySet().forEach(runId -> values.put(runId, pipeline.get(CacheKeys.runApproval(runId))));
            pipeline.sync();
        }
        Map<String, Boolean> answered = new HashMap<>();
        values.forEach((runId, value) -> {
            String prefix = awaited.get(runId) + SEPARATOR;
            String current = value.get();
            if (current != null && current.startsWith(prefix)) {
                answered.put(runId, current.substring(prefix.length()).equals("1"));
            }
        });
        return answered;
    }

    /** The answer a message on {@code candor:approval} carries; empty for a message in another form. */
    static Optional<ApprovalAnswered> decode(String message) {
        String[] parts = message.split(SEPARATOR, -1);
        if (parts.length != 3 || !(parts[2].equals("1") || parts[2].equals("0"))) {
            return Optional.empty();
        }
        return Optional.of(new ApprovalAnswered(parts[0], parts[1], parts[2].equals("1")));
    }
}
