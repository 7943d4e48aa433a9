package dev.candor.application.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.candor.application.CandorException;
import dev.candor.application.ErrorCode;
import dev.candor.domain.run.AgentRun;
import dev.candor.domain.run.RunRepository;
import dev.candor.domain.thread.ChatThread;
import dev.candor.domain.thread.ThreadRepository;
import dev.candor.infrastructure.config.CandorConfig;
import dev.candor.infrastructure.config.LlmConfig;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class ResumeServiceTest {

    private final AgentRun run = new AgentRun("run-1", "thread-1", "user-message-1", Instant.now(), "node-b",
            Instant.now().plusSeconds(15));
    private final InMemoryRunEventLog log = new InMemoryRunEventLog();
    private final List<Long> delivered = new ArrayList<>();
    private final List<Runnable> background = new ArrayList<>();
    private final List<CandorException> failedLater = new ArrayList<>();
    private final ResumeService resume = new ResumeService();

    ResumeServiceTest() {
        resume.runs = fake(RunRepository.class, "find", Optional.of(run));
        resume.threads = fake(ThreadRepository.class, "find", Optional.of(new ChatThread("thread-1", "owner-1", "t",
                Instant.now())));
        resume.writer = new EventLogWriter();
        resume.log = log;
        resume.bridge = new EventBridge();
        resume.bridge.attach((connectionId, event) -> delivered.add(event.seq()));
        resume.executor = fake(ManagedExecutorService.class, "execute", null);
        resume.config = new CandorConfig() {
            @Override
            public LlmConfig llm() {
                return new LlmConfig(Optional.empty(), Optional.empty(), Optional.empty(), null,
                        Duration.ofSeconds(10), null, null, Optional.empty(), Optional.empty(), null, null, 0, null,
                        null);
            }
        };
    }

    @Test
    void replaysAContiguousStreamAfterTheResumePoint() {
        stream(1, 2, 3, 4);
        ended();
        resumeAfter(1);
        assertEquals(List.of(2L, 3L, 4L), delivered);
    }

    @Test
    void aHoleInTheStreamReplaysTheEventsBeforeItThenRunEventsLost() {
        stream(1, 2, 4, 5);
        ended();
        CandorException lost = assertThrows(CandorException.class, () -> resumeAfter(0));
        assertEquals(List.of(1L, 2L), delivered);
        assertEquals(ErrorCode.RUN_EVENTS_LOST, lost.code());
        assertFalse(lost.retryable());
    }

    @Test
    void aStreamThatNoLongerStartsRightAfterTheResumePointIsRunEventsLost() {
        stream(6, 7, 8); // the first events were trimmed
        ended();
        CandorException lost = assertThrows(CandorException.class, () -> resumeAfter(2));
        assertEquals(List.of(), delivered);
        assertEquals(ErrorCode.RUN_EVENTS_LOST, lost.code());
    }

    @Test
    void aRunWhoseJournalIsOnThisNodeIsReplayedFromItWhateverTheStreamLacks() {
        RunJournal journal = resume.writer.open("run-1");
        LongStream.rangeClosed(1, 3).forEach(seq -> journal.add(event(seq, seq == 3)));
        stream(1, 3);
        resumeAfter(0);
        assertEquals(List.of(1L, 2L, 3L), delivered);
    }

    @Test
    void followingARunOfAnotherNodeReportsRunEventsLostAfterTheContiguousEvents() {
        stream(1, 2);
        resumeAfter(0);
        assertEquals(List.of(1L, 2L), delivered);
        assertEquals(1, background.size(), "the run of another node is not followed");
        stream(3, 5);
        background.get(0).run();
        assertEquals(List.of(1L, 2L, 3L), delivered);
        assertEquals(1, failedLater.size());
        assertEquals(ErrorCode.RUN_EVENTS_LOST, failedLater.get(0).code());
    }

    @Test
    void followingARunOfAnotherNodeEndsQuietlyAtItsTerminalEvent() {
        stream(1);
        resumeAfter(0);
        log.append(List.of(event(2, false), event(3, true)));
        background.get(0).run();
        assertEquals(List.of(1L, 2L, 3L), delivered);
        assertEquals(List.of(), failedLater);
    }

    private void resumeAfter(long afterSeq) {
        resume.resume("connection-1", "owner-1", "run-1", afterSeq, () -> true, failedLater::add);
    }

    private void ended() {
        run.fail("LLM_ERROR", Instant.now());
    }

    private void stream(long... seqs) {
        log.append(LongStream.of(seqs).mapToObj(seq -> event(seq, false)).toList());
    }

    private static EncodedEvent event(long seq, boolean terminal) {
        return new EncodedEvent("run-1", seq, terminal, "{\"seq\":" + seq + "}");
    }

    private <T> T fake(Class<T> port, String method, Object answer) {
        return port.cast(Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port}, (proxy, m, args) -> {
            if (m.getName().equals("execute")) {
                background.add((Runnable) args[0]);
                return null;
            }
            if (!m.getName().equals(method)) {
                throw new UnsupportedOperationException(m.getName());
            }
            return answer;
        }));
    }
}
