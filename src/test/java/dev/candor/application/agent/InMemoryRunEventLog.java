package dev.candor.application.agent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Test double of the durable event stream: what was appended, per run; {@link #reads} counts the shared reads. */
final class InMemoryRunEventLog implements RunEventLog {

    private final Map<String, List<EncodedEvent>> streams = new ConcurrentHashMap<>();
    int reads;

    @Override
    public synchronized void append(List<EncodedEvent> events) {
        events.forEach(e -> streams.computeIfAbsent(e.runId(), id -> new ArrayList<>()).add(e));
    }

    @Override
    public synchronized List<EncodedEvent> after(String runId, long afterSeq) {
        return streams.getOrDefault(runId, List.of()).stream().filter(e -> e.seq() > afterSeq).toList();
    }

    @Override
    public synchronized Map<String, List<EncodedEvent>> afterEach(Map<String, Long> afterSeqs, int limit) {
        reads++;
        Map<String, List<EncodedEvent>> read = new HashMap<>();
        afterSeqs.forEach((runId, afterSeq) -> read.put(runId, after(runId, afterSeq).stream().limit(limit).toList()));
        return read;
    }

    @Override
    public synchronized Optional<EncodedEvent> last(String runId) {
        List<EncodedEvent> stream = streams.getOrDefault(runId, List.of());
        return stream.isEmpty() ? Optional.empty() : Optional.of(stream.get(stream.size() - 1));
    }
}
