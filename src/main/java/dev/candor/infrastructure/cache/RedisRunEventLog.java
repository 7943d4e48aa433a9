package dev.candor.infrastructure.cache;

import dev.candor.application.agent.AgentEvent;
import dev.candor.application.agent.RunEventLog;
import dev.candor.infrastructure.config.CandorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.spi.JsonProvider;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * A run's events in a Redis Stream ({@code candor:run:<id>:events}), entry id {@code <seq>-0}, trimmed to
 * candor.runs.stream-max-len and expiring after candor.runs.stream-ttl-s. Any node can replay or follow it.
 */
@ApplicationScoped
public class RedisRunEventLog implements RunEventLog {

    /** Looked up once: every Json.createX() call would search for the provider again. */
    private static final JsonProvider JSON = JsonProvider.provider();

    @Inject
    RedisClientProducer redis;

    @Inject
    CandorConfig config;

    @Override
    public void append(AgentEvent event) {
        String key = CacheKeys.runEvents(event.runId());
        var client = redis.require();
        client.xadd(key, XAddParams.xAddParams().id(event.seq(), 0).maxLen(config.agent().streamMaxLen())
                .approximateTrimming(), Map.of("event", encode(event)));
        if (event.seq() == 1 || event.isTerminal()) {
            client.expire(key, config.agent().streamTtl().toSeconds());
        }
    }

    @Override
    public List<AgentEvent> after(String runId, long afterSeq) {
        return redis.require().xrange(CacheKeys.runEvents(runId), new StreamEntryID(afterSeq + 1, 0), null).stream()
                .map(RedisRunEventLog::decode).toList();
    }

    @Override
    public List<AgentEvent> await(String runId, long afterSeq, Duration wait) {
        String key = CacheKeys.runEvents(runId);
        var read = redis.require().xread(XReadParams.xReadParams().block((int) wait.toMillis()).count(500),
                Map.of(key, new StreamEntryID(afterSeq, 0)));
        if (read == null) {
            return List.of();
        }
        return read.stream().flatMap(e -> e.getValue().stream()).map(RedisRunEventLog::decode).toList();
    }

    static String encode(AgentEvent event) {
        return JSON.createObjectBuilder().add("run_id", event.runId()).add("thread_id", event.threadId())
                .add("seq", event.seq()).add("type", event.type()).add("payload", event.payload())
                .add("timestamp", event.timestamp().toString()).build().toString();
    }

    static AgentEvent decode(StreamEntry entry) {
        try (var reader = JSON.createReader(new StringReader(entry.getFields().get("event")))) {
            JsonObject json = reader.readObject();
            return new AgentEvent(json.getString("run_id"), json.getString("thread_id"),
                    json.getJsonNumber("seq").longValue(), json.getString("type"), json.getJsonObject("payload"),
                    Instant.parse(json.getString("timestamp")));
        }
    }
}
