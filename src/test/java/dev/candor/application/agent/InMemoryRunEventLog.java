package dev.candor.application.agent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Test double of the durable event stream: what was appended, per run; {@link #await} answers at once. */
final class InMemoryRunEventLog implements RunEventLog {

    private final Map<String, List<EncodedEvent>> streams = new ConcurrentHashMap<>();

    @Override
    public synchronized void append(List<EncodedEvent> events) {
        events.forEach(e -> streams.computeIfAbsent(e.runId(), id -> new ArrayList<>()).add(e));
    }

    @Override
    public synchronized List<EncodedEvent> after(String runId, long afterSeq) {
        return streams.getOrDefault(runId, List.of()).stream().filter(e -> e.seq() > afterSeq).toList();
    }

    @Override
    public List<EncodedEvent> await(String runId, long afterSeq, Duration wait) {
        return after(runId, afterSeq);
    }
}
