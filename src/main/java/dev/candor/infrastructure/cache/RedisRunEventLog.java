package dev.candor.infrastructure.cache;

import dev.candor.application.agent.EncodedEvent;
import dev.candor.application.agent.RunEventLog;
import dev.candor.infrastructure.config.CandorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * A run's events in a Redis Stream ({@code candor:run:{<id>}:events}): entry id {@code <seq>-0}, field {@code frame} the
 * wire frame as sent, field {@code end} set on the terminal event. Trimmed to candor.runs.stream-max-len and expiring
 * after candor.runs.stream-ttl-s. Any node can replay or follow it. Appends are pipelined: one round trip per batch;
 * so are the reads of all the runs a node follows ({@link #afterEach}), which never block.
 */
@ApplicationScoped
public class RedisRunEventLog implements RunEventLog {

    private static final String FRAME = "frame";
    private static final String END = "end";

    @Inject
    RedisClientProducer redis;

    @Inject
    CandorConfig config;

    @Override
    public void append(List<EncodedEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        List<Response<StreamEntryID>> added = new ArrayList<>(events.size());
        long ttl = config.agent().streamTtl().toSeconds();
        try (AbstractPipeline pipeline = redis.pipelined()) {
            for (EncodedEvent event : events) {
                String key = CacheKeys.runEvents(event.runId());
                added.add(pipeline.xadd(key, XAddParams.xAddParams().id(event.seq(), 0)
                        .maxLen(config.agent().streamMaxLen()).approximateTrimming(), fields(event)));
                if (event.seq() == 1 || event.terminal()) {
                    pipeline.expire(key, ttl);
                }
            }
            pipeline.sync();
        }
        for (Response<StreamEntryID> response : added) {
            try {
                response.get();
            } catch (JedisDataException e) {
                // A batch retried after a lost reply: the entry is there already (ids only grow), nothing is lost.
                if (!String.valueOf(e.getMessage()).contains("equal or smaller")) {
                    throw e;
                }
            }
        }
    }

    @Override
    public List<EncodedEvent> after(String runId, long afterSeq) {
        return redis.require().xrange(CacheKeys.runEvents(runId), new StreamEntryID(afterSeq + 1, 0), null).stream()
                .map(entry -> decode(runId, entry)).toList();
    }

    @Override
    public Map<String, List<EncodedEvent>> afterEach(Map<String, Long> afterSeqs, int limit) {
        if (afterSeqs.isEmpty()) {
            return Map.of();
        }
        Map<String, Response<List<StreamEntry>>> reads = new HashMap<>();
        try (AbstractPipeline pipeline = redis.pipelined()) {
            afterSeqs.forEach((runId, afterSeq) -> reads.put(runId, pipeline.xrange(CacheKeys.runEvents(runId),
                    new StreamEntryID(afterSeq + 1, 0), null, limit)));
            pipeline.sync();
        }
        Map<String, List<EncodedEvent>> events = new HashMap<>();
        reads.forEach((runId, read) -> events.put(runId, read.get().stream().map(e -> decode(runId, e)).toList()));
        return events;
    }

    @Override
    public Optional<EncodedEvent> last(String runId) {
        return redis.require().xrevrange(CacheKeys.runEvents(runId), "+", "-", 1).stream()
                .findFirst().map(entry -> decode(runId, entry));
    }

    private static Map<String, String> fields(EncodedEvent event) {
        return event.terminal() ? Map.of(FRAME, event.frame(), END, "1") : Map.of(FRAME, event.frame());
    }

    private static EncodedEvent decode(String runId, StreamEntry entry) {
        Map<String, String> fields = entry.getFields();
        return new EncodedEvent(runId, entry.getID().getTime(), fields.containsKey(END), fields.get(FRAME));
    }
}
