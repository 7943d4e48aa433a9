package dev.candor.application.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.application.ErrorCode;
import dev.candor.application.ErrorReport;
import dev.candor.application.InOrder;
import dev.candor.domain.run.RunStatus;
import jakarta.persistence.PersistenceException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class RunEndingTest {

    private final List<AgentEvent> sent = new ArrayList<>();
    private final InOrder<AgentEvent> outbox = new InOrder<>(sent::add);
    private final RunState state = new RunState("run-1", "thread-1", "model-a", outbox, Clock.systemUTC());
    private final StoreRetryTest.VirtualScheduler retries = new StoreRetryTest.VirtualScheduler();
    private final StoreRetryTest.VirtualScheduler background = new StoreRetryTest.VirtualScheduler();
    private final ScriptedOutcomes outcomes = new ScriptedOutcomes();
    private boolean threadReleased;
    private boolean retired;
    private final RunEnding ending = new RunEnding(outcomes,
            new StoreRetry(retries, retries::nanos, 250, 2000, Duration.ofSeconds(4)),
            new StoreRetry(background, background::nanos, 3000, 3000, Duration.ofMinutes(15)),
            new RunSpec("run-1", "thread-1", "owner-1", "user-message-1", null, List.of()), state, outbox,
            () -> threadReleased = true, () -> retired = true);

    @Test
    void completesOnceTheDatabaseIsBackAndSaysNothingBefore() {
        outcomes.script(unreachable(), unreachable(), () -> "message-1");
        ending.completed(answered("Paris"), "stop");
        assertEquals(List.of(), sent, "a terminal event left before the answer was stored");
        assertFalse(threadReleased, "the thread was released before the answer was stored");
        retries.runAll();
        RunEvent.AgentCompleted completed = assertInstanceOf(RunEvent.AgentCompleted.class, terminal());
        assertEquals("message-1", completed.messageId());
        assertEquals("Paris", completed.content());
        assertEquals(3, outcomes.calls.size());
        assertTrue(threadReleased);
        assertTrue(retired);
    }

    @Test
    void saysAnswerNotStoredWhenTheBoundPassesThenRecordsTheFailureWithoutTheText() {
        outcomes.script(unreachable(), unreachable(), unreachable(), unreachable(), unreachable(), unreachable(),
                () -> null);
        ending.completed(answered("Paris"), "stop");
        retries.runAll();
        RunEvent.AgentError error = assertInstanceOf(RunEvent.AgentError.class, terminal());
        assertEquals("ANSWER_NOT_STORED", error.errorCode());
        assertTrue(error.retryable());
        assertEquals(RunEnding.NOT_STORED_MESSAGE, error.message());
        assertNotNull(error.correlationId());
        assertEquals(List.of("completed", "completed", "completed", "completed", "completed"), outcomes.calls);
        assertTrue(threadReleased, "the thread stays blocked after the terminal event");
        assertFalse(retired, "the lease was given up while the run is still RUNNING in the database");

        background.runAll();
        assertEquals(List.of("failed ANSWER_NOT_STORED", "failed ANSWER_NOT_STORED"),
                outcomes.calls.subList(5, outcomes.calls.size()), "the failure was not tried again until recorded");
        assertTrue(retired, "the lease is held after the failure was recorded");
        assertEquals(1, sent.size(), "more than one terminal event");
    }

    @Test
    void givesUpTheLeaseWhenTheFailureCannotBeRecordedForFifteenMinutes() {
        outcomes.alwaysUnreachable = true;
        ending.completed(answered("Paris"), "stop");
        retries.runAll();
        background.runAll();
        assertTrue(retired);
        assertTrue(background.nowMs <= Duration.ofMinutes(15).toMillis(), "tried past the bound");
        assertTrue(outcomes.calls.stream().skip(5).allMatch("failed ANSWER_NOT_STORED"::equals), outcomes.calls
                .toString());
    }

    @Test
    void aFailureThatIsNotAboutTheDatabaseIsAnInternalErrorAtOnce() {
        outcomes.script(() -> {
            throw new PersistenceException("duplicate key value violates unique constraint",
                    new SQLException("dup", "23505"));
        }, () -> null);
        ending.completed(answered("Paris"), "stop");
        RunEvent.AgentError error = assertInstanceOf(RunEvent.AgentError.class, terminal());
        assertEquals("INTERNAL_ERROR", error.errorCode());
        assertNotNull(error.correlationId());
        assertTrue(error.message().contains(error.correlationId()));
        assertFalse(error.message().contains("duplicate"), "internal exception text reached the client");
        assertEquals(List.of("completed", "failed INTERNAL_ERROR"), outcomes.calls);
        assertEquals(List.of(), retries.delays, "a constraint violation was tried again");
        assertTrue(retired);
    }

    @Test
    void aRunEndedByALeaseReclaimMeanwhileIsReportedWithWhatTheReclaimKept() {
        outcomes.script(unreachable(), () -> {
            throw new RunOutcomes.RunAlreadyEndedException("run-1", RunStatus.INTERRUPTED, "partial-1");
        });
        ending.completed(answered("Paris"), "stop");
        retries.runAll();
        RunEvent.AgentError error = assertInstanceOf(RunEvent.AgentError.class, terminal());
        assertEquals("RUN_INTERRUPTED", error.errorCode());
        assertTrue(error.message().contains("kept as an unfinished message"), error.message());
        assertEquals(2, outcomes.calls.size(), "stored again after the run had ended");
    }

    @Test
    void aCancelWhosePartialCannotBeStoredSaysSoAndRecordsTheCancelWithoutText() {
        outcomes.script(unreachable(), unreachable(), unreachable(), unreachable(), unreachable(), () -> null);
        ending.cancelled(answered("Par"));
        retries.runAll();
        RunEvent.RunCancelled cancelled = assertInstanceOf(RunEvent.RunCancelled.class, terminal());
        assertNull(cancelled.messageId(), "message_id names a partial answer that is not stored");
        assertEquals("Par", cancelled.partialContent());
        assertFalse(retired);
        background.runAll();
        assertEquals("cancelled ''", outcomes.calls.get(outcomes.calls.size() - 1));
        assertTrue(retired);
    }

    @Test
    void aCancelStoredAfterARetryNamesItsMessage() {
        outcomes.script(unreachable(), () -> "partial-1");
        ending.cancelled(answered("Par"));
        retries.runAll();
        RunEvent.RunCancelled cancelled = assertInstanceOf(RunEvent.RunCancelled.class, terminal());
        assertEquals("partial-1", cancelled.messageId());
        assertEquals(List.of("cancelled 'Par'", "cancelled 'Par'"), outcomes.calls);
        assertTrue(retired);
    }

    @Test
    void aFailureIsSentWhenItsStatusCannotBeStoredAndRecordedLater() {
        outcomes.script(unreachable(), unreachable(), unreachable(), unreachable(), unreachable(), () -> null);
        ending.failed(ErrorReport.of(ErrorCode.LLM_TIMEOUT, "The model did not answer in time.", true));
        retries.runAll();
        RunEvent.AgentError error = assertInstanceOf(RunEvent.AgentError.class, terminal());
        assertEquals("LLM_TIMEOUT", error.errorCode());
        assertFalse(retired);
        background.runAll();
        assertEquals("failed LLM_TIMEOUT", outcomes.calls.get(outcomes.calls.size() - 1));
        assertTrue(retired);
    }

    private RunEvent terminal() {
        assertEquals(1, sent.size(), "not exactly one terminal event: " + sent);
        return sent.get(0).event();
    }

    private RunState.Snapshot answered(String answer) {
        state.startRound();
        state.delta(answer);
        outbox.drain();
        sent.clear(); // the delta; each test looks at the terminal event only
        return state.beginEnd().orElseThrow();
    }

    private static Supplier<String> unreachable() {
        return () -> {
            throw new PersistenceException(new SQLTransientConnectionException("Connection refused"));
        };
    }

    /** Answers each store with the next scripted result; records what was asked. */
    private static final class ScriptedOutcomes extends RunOutcomes {

        final List<String> calls = new ArrayList<>();
        private final Deque<Supplier<String>> script = new ArrayDeque<>();
        boolean alwaysUnreachable;

        @SafeVarargs
        final void script(Supplier<String>... results) {
            script.addAll(List.of(results));
        }

        @Override
        public String completed(String runId, String threadId, String content, String finishReason, String model,
                                int inputTokens, int outputTokens) {
            return next("completed");
        }

        @Override
        public String cancelled(String runId, String threadId, String partial) {
            return next("cancelled '" + partial + "'");
        }

        @Override
        public void failed(String runId, String errorCode) {
            next("failed " + errorCode);
        }

        private String next(String call) {
            calls.add(call);
            if (alwaysUnreachable) {
                return unreachable().get();
            }
            return script.remove().get();
        }
    }
}
