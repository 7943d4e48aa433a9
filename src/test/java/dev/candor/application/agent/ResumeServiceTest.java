package dev.candor.application.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.application.CandorException;
import dev.candor.application.ErrorCode;
import dev.candor.application.startup.DependencyMonitor;
import dev.candor.domain.run.AgentRun;
import dev.candor.domain.run.RunRepository;
import dev.candor.domain.thread.ChatThread;
import dev.candor.domain.thread.ThreadRepository;
import dev.candor.infrastructure.config.AgentConfig;
import dev.candor.infrastructure.config.CandorConfig;
import dev.candor.infrastructure.config.InitConfig;
import dev.candor.infrastructure.config.LlmConfig;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Resume from the journal or the stream, the one shared reader that follows runs of other nodes, and stop_run of a
 * run of another node.
 */
class ResumeServiceTest {

    private static final Duration SILENCE = Duration.ofSeconds(10);
    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    private final Map<String, AgentRun> stored = new HashMap<>();
    private final AgentRun run = run("run-1");
    private final InMemoryRunEventLog log = new InMemoryRunEventLog();
    private final Map<String, List<Long>> delivered = new HashMap<>();
    private final List<CandorException> failedLater = new ArrayList<>();
    private final ResumeService resume = new ResumeService();
    private final RemoteFollows follows = new RemoteFollows();
    private final List<String> stopsRequested = new ArrayList<>();
    private final StopService stops = new StopService();
    private final List<Runnable> statusReads = new ArrayList<>();
    private boolean readStatusesAtOnce = true;
    private int maxFollowers = 100;

    ResumeServiceTest() {
        RunRepository runs = fake(RunRepository.class, "find", args -> Optional.ofNullable(stored.get((String) args[0])));
        resume.runs = runs;
        resume.threads = fake(ThreadRepository.class, "find", args -> Optional.of(new ChatThread((String) args[0],
                "owner-1", "t", Instant.now())));
        resume.writer = new EventLogWriter();
        resume.log = log;
        resume.bridge = new EventBridge();
        resume.bridge.attach((connectionId, event) -> delivered.computeIfAbsent(connectionId, c -> new ArrayList<>())
                .add(event.seq()));
        resume.follows = follows;
        stops.supervisor = new AgentSupervisor();
        stops.resume = resume;
        stops.stops = fake(RunStops.class, "request", args -> stopsRequested.add((String) args[0]) ? null : null);
        follows.log = log;
        follows.runs = runs;
        follows.bridge = resume.bridge;
        follows.monitor = new DependencyMonitor();
        follows.scheduler = fake(ManagedScheduledExecutorService.class, "execute", args -> {
            if (readStatusesAtOnce) {
                ((Runnable) args[0]).run();
            } else {
                statusReads.add((Runnable) args[0]);
            }
            return null;
        });
        follows.config = new CandorConfig() {
            @Override
            public LlmConfig llm() {
                return new LlmConfig(Optional.empty(), Optional.empty(), Optional.empty(), null, SILENCE, null, null,
                        Optional.empty(), Optional.empty(), null, null, 0, null, null);
            }

            @Override
            public AgentConfig agent() {
                return new AgentConfig("candor", "", 0, 0, 0, null, 0, 0, null, Duration.ofSeconds(15), null, null,
                        maxFollowers);
            }

            @Override
            public InitConfig init() {
                return new InitConfig(List.of(), Duration.ofSeconds(2));
            }
        };
    }

    @Test
    void replaysAContiguousStreamAfterTheResumePoint() {
        stream("run-1", 1, 2, 3);
        log.append(List.of(event("run-1", 4, true)));
        ended(run);
        resumeAfter("connection-1", "run-1", 1);
        assertEquals(List.of(2L, 3L, 4L), delivered.get("connection-1"));
        assertEquals(0, follows.followerCount(), "a run whose terminal event was replayed is not followed");
    }

    @Test
    void aHoleInTheStreamReplaysTheEventsBeforeItThenRunEventsLost() {
        stream("run-1", 1, 2, 4, 5);
        ended(run);
        CandorException lost = assertThrows(CandorException.class, () -> resumeAfter("connection-1", "run-1", 0));
        assertEquals(List.of(1L, 2L), delivered.get("connection-1"));
        assertEquals(ErrorCode.RUN_EVENTS_LOST, lost.code());
        assertFalse(lost.retryable());
        assertEquals(0, follows.followerCount());
    }

    @Test
    void aStreamThatNoLongerStartsRightAfterTheResumePointIsRunEventsLost() {
        stream("run-1", 6, 7, 8); // the first events were trimmed
        ended(run);
        CandorException lost = assertThrows(CandorException.class, () -> resumeAfter("connection-1", "run-1", 2));
        assertEquals(null, delivered.get("connection-1"));
        assertEquals(ErrorCode.RUN_EVENTS_LOST, lost.code());
    }

    @Test
    void aRunWhoseJournalIsOnThisNodeIsReplayedFromItWhateverTheStreamLacks() {
        RunJournal journal = resume.writer.open("run-1");
        LongStream.rangeClosed(1, 3).forEach(seq -> journal.add(event("run-1", seq, seq == 3)));
        stream("run-1", 1, 3);
        resumeAfter("connection-1", "run-1", 0);
        assertEquals(List.of(1L, 2L, 3L), delivered.get("connection-1"));
    }

    @Test
    void anEndedRunWhoseStreamExpiredSendsNothingAndIsNotFollowed() {
        ended(run);
        resumeAfter("connection-1", "run-1", 0);
        assertEquals(null, delivered.get("connection-1"));
        assertEquals(0, follows.followerCount());
    }

    @Test
    void followingARunOfAnotherNodeReportsRunEventsLostAfterTheContiguousEvents() {
        stream("run-1", 1, 2);
        resumeAfter("connection-1", "run-1", 0);
        assertEquals(List.of(1L, 2L), delivered.get("connection-1"));
        assertEquals(1, follows.followerCount(), "the run of another node is not followed");
        stream("run-1", 3, 5);
        follows.read(System.nanoTime());
        assertEquals(List.of(1L, 2L, 3L), delivered.get("connection-1"));
        assertEquals(1, failedLater.size());
        assertEquals(ErrorCode.RUN_EVENTS_LOST, failedLater.get(0).code());
        assertEquals(0, follows.followerCount());
    }

    @Test
    void followingARunOfAnotherNodeEndsQuietlyAtItsTerminalEvent() {
        stream("run-1", 1);
        resumeAfter("connection-1", "run-1", 0);
        log.append(List.of(event("run-1", 2, false), event("run-1", 3, true)));
        follows.read(System.nanoTime());
        log.append(List.of(event("run-1", 4, false))); // never written after a terminal event; never delivered if so
        follows.read(System.nanoTime());
        assertEquals(List.of(1L, 2L, 3L), delivered.get("connection-1"));
        assertEquals(List.of(), failedLater);
        assertEquals(0, follows.followerCount());
    }

    @Test
    void oneReadPerTickServesEveryFollowerOfEveryRunInOrderWithoutDuplicates() {
        for (String id : List.of("run-a", "run-b", "run-c")) {
            stored.put(id, run(id));
            stream(id, 1, 2);
            resumeAfter(id + "/first", id, 0);
            resumeAfter(id + "/late", id, 1);
        }
        assertEquals(6, follows.followerCount());
        for (long seq = 3; seq <= 6; seq++) {
            for (String id : List.of("run-a", "run-b", "run-c")) {
                log.append(List.of(event(id, seq, seq == 6)));
            }
            if (seq % 2 == 0) {
                follows.read(System.nanoTime());
            }
        }
        assertEquals(2, log.reads, "one round trip per read, whatever the number of runs and followers");
        for (String id : List.of("run-a", "run-b", "run-c")) {
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), delivered.get(id + "/first"));
            assertEquals(List.of(2L, 3L, 4L, 5L, 6L), delivered.get(id + "/late"));
        }
        assertEquals(0, follows.followerCount());
    }

    @Test
    void aResumeSentAgainReplacesTheEarlierFollowWithoutDuplicates() {
        stream("run-1", 1, 2);
        resumeAfter("connection-1", "run-1", 0);
        resumeAfter("connection-1", "run-1", 2);
        assertEquals(1, follows.followerCount());
        log.append(List.of(event("run-1", 3, true)));
        follows.read(System.nanoTime());
        assertEquals(List.of(1L, 2L, 3L), delivered.get("connection-1"));
    }

    @Test
    void aRunThatEndedInTheDatabaseWithoutItsTerminalEventEndsWithRunEventsLostAfterTheGrace() {
        stream("run-1", 1);
        long start = System.nanoTime();
        resumeAfter("connection-1", "run-1", 0);
        ended(run);
        follows.read(start + SECOND + SECOND / 2); // silent for a second: the status is read, the grace starts
        follows.read(start + 3 * SECOND);
        assertEquals(List.of(), failedLater, "ended before the grace was over");
        follows.read(start + 5 * SECOND);
        assertEquals(1, failedLater.size());
        assertEquals(ErrorCode.RUN_EVENTS_LOST, failedLater.get(0).code());
        assertFalse(failedLater.get(0).retryable());
        assertEquals(0, follows.followerCount());
    }

    @Test
    void aDatabaseReadThatHangsHoldsUpNeitherTheEventsOfOtherRunsNorALaterStatusRead() {
        readStatusesAtOnce = false;
        run("run-2");
        stream("run-1", 1);
        stream("run-2", 1);
        long start = System.nanoTime();
        resumeAfter("connection-1", "run-1", 0);
        resumeAfter("connection-2", "run-2", 0);
        ended(run);
        follows.read(start + 2 * SECOND); // both silent: one status read starts, and hangs
        assertEquals(1, statusReads.size());
        stream("run-2", 2);
        follows.read(start + 2 * SECOND + SECOND / 10);
        assertEquals(List.of(1L, 2L), delivered.get("connection-2"), "the events waited for the database");
        assertEquals(1, statusReads.size(), "a second status read started while one was in flight");
        statusReads.remove(0).run(); // the database answers: run-1 ended (at 2 s), run-2 still runs
        follows.read(start + 4 * SECOND);
        assertEquals(List.of(), failedLater, "ended before the grace was over");
        follows.read(start + 5 * SECOND + SECOND / 10);
        assertEquals(1, failedLater.size(), "the grace did not start from the status read at 2 s");
        assertEquals(ErrorCode.RUN_EVENTS_LOST, failedLater.get(0).code());
        assertEquals(1, follows.followerCount(), "run-2, still running, is no longer followed");
    }

    @Test
    void aRunThatFallsSilentEndsTheFollowWithARetryableRunEventsLost() {
        stream("run-1", 1);
        long start = System.nanoTime();
        resumeAfter("connection-1", "run-1", 0);
        follows.read(start + SILENCE.toNanos() - SECOND);
        assertEquals(List.of(), failedLater);
        follows.read(start + SILENCE.toNanos() + SECOND);
        assertEquals(ErrorCode.RUN_EVENTS_LOST, failedLater.get(0).code());
        assertTrue(failedLater.get(0).retryable());
    }

    @Test
    void aResumeBeyondTheNodesFollowersIsRefusedWithARetryableRateLimited() {
        maxFollowers = 1;
        stream("run-1", 1);
        resumeAfter("connection-1", "run-1", 0);
        CandorException refused = assertThrows(CandorException.class, () -> resumeAfter("connection-2", "run-1", 0));
        assertEquals(ErrorCode.RATE_LIMITED, refused.code());
        assertTrue(refused.retryable());
        assertEquals(1, follows.followerCount());
        assertEquals(null, delivered.get("connection-2"));
    }

    @Test
    void aFollowerWhoseConnectionClosedFreesItsPlace() {
        stream("run-1", 1);
        resumeAfter("connection-1", "run-1", 0);
        resume.bridge.forget("connection-1");
        follows.read(System.nanoTime());
        assertEquals(0, follows.followerCount());
    }

    @Test
    void stopOfARunningRunOfAnotherNodeRequestsItsStopAndFollowsItFromItsNewestEvent() {
        stream("run-1", 1, 2);
        stops.stop("connection-1", "owner-1", "run-1", failedLater::add);
        assertEquals(List.of("run-1"), stopsRequested);
        assertEquals(null, delivered.get("connection-1"), "events before the stop are not replayed");
        log.append(List.of(event("run-1", 3, true)));
        follows.read(System.nanoTime());
        assertEquals(List.of(3L), delivered.get("connection-1"));
        assertEquals(List.of(), failedLater);
    }

    @Test
    void aResumeWhoseStreamCannotBeReadLeavesNoFollowerSoAStopFromThatConnectionStillSeesTheEnd() {
        stream("run-1", 1, 2);
        resume.log = new RunEventLog() {
            @Override
            public void append(List<EncodedEvent> events) {
                log.append(events);
            }

            @Override
            public List<EncodedEvent> after(String runId, long afterSeq) {
                throw new IllegalStateException("Redis could not be read");
            }

            @Override
            public Map<String, List<EncodedEvent>> afterEach(Map<String, Long> afterSeqs, int limit) {
                return log.afterEach(afterSeqs, limit);
            }

            @Override
            public Optional<EncodedEvent> last(String runId) {
                return log.last(runId);
            }
        };
        assertThrows(IllegalStateException.class, () -> resumeAfter("connection-1", "run-1", 0));
        resume.log = log; // Redis answers again
        assertFalse(resume.bridge.follows("run-1", "connection-1"), "the failed resume left a follower behind");

        stops.stop("connection-1", "owner-1", "run-1", failedLater::add);
        log.append(List.of(event("run-1", 3, true)));
        follows.read(System.nanoTime());
        assertEquals(List.of(3L), delivered.get("connection-1"), "the stopper never saw the run's end");
        assertEquals(List.of(), failedLater);
        assertEquals(0, follows.followerCount());
    }

    @Test
    void stopOfARunThatHasEndedIsRunNotFoundAndRequestsNothing() {
        stream("run-1", 1);
        ended(run);
        CandorException refused = assertThrows(CandorException.class,
                () -> stops.stop("connection-1", "owner-1", "run-1", failedLater::add));
        assertEquals(ErrorCode.RUN_NOT_FOUND, refused.code());
        assertEquals(List.of(), stopsRequested);
        assertEquals(0, follows.followerCount());
    }

    private void resumeAfter(String connectionId, String runId, long afterSeq) {
        resume.resume(connectionId, "owner-1", runId, afterSeq, failedLater::add);
    }

    private AgentRun run(String id) {
        AgentRun created = new AgentRun(id, "thread-1", "user-message-1", Instant.now(), "node-b",
                Instant.now().plusSeconds(15));
        stored.put(id, created);
        return created;
    }

    private static void ended(AgentRun run) {
        run.fail("LLM_ERROR", Instant.now());
    }

    private void stream(String runId, long... seqs) {
        log.append(LongStream.of(seqs).mapToObj(seq -> event(runId, seq, false)).toList());
    }

    private static EncodedEvent event(String runId, long seq, boolean terminal) {
        return new EncodedEvent(runId, seq, terminal, "{\"seq\":" + seq + "}");
    }

    private static <T> T fake(Class<T> port, String method, java.util.function.Function<Object[], Object> answer) {
        return port.cast(Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port}, (proxy, m, args) -> {
            if (!m.getName().equals(method)) {
                throw new UnsupportedOperationException(m.getName());
            }
            return answer.apply(args);
        }));
    }
}
