package dev.candor.application.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.application.InOrder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RunStateTest {

    private final List<AgentEvent> sent = new ArrayList<>();
    private final InOrder<AgentEvent> outbox = new InOrder<>(sent::add);
    private final RunState state = new RunState("run-1", "thread-1", "model-a", outbox,
            Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC));

    @Test
    void numbersEventsFromOneInTheOrderTheyWereDecided() {
        state.emit(new RunEvent.AgentStarted("candor", "m1"));
        state.startRound();
        state.delta("a");
        state.delta("b");
        outbox.drain();
        assertEquals(List.of(1L, 2L, 3L), sent.stream().map(AgentEvent::seq).toList());
        assertEquals(List.of("agent_started", "agent_delta", "agent_delta"),
                sent.stream().map(e -> e.event().type()).toList());
        assertEquals("run-1", sent.get(0).runId());
        assertEquals("thread-1", sent.get(0).threadId());
    }

    @Test
    void aReplyWithoutToolsCompletesWithTheStreamedAnswerAndUsage() {
        state.startRound();
        state.delta("Hello ");
        state.delta("world");
        RunState.Next next = state.reply(new LlmReply("Hello world", List.of(), "stop", 12, 3, "model-b"), 5);
        RunState.Next.Complete complete = assertInstanceOf(RunState.Next.Complete.class, next);
        assertEquals("Hello world", complete.snapshot().answer());
        assertEquals(12, complete.snapshot().inputTokens());
        assertEquals(3, complete.snapshot().outputTokens());
        assertEquals("model-b", complete.snapshot().model());
        assertEquals("stop", complete.finishReason());
        assertEquals(RunState.Stage.ENDING, state.stage());
        assertFalse(state.delta("late"), "a delta after the reply was accepted");
    }

    @Test
    void toolRoundsAddUpUsageAndStopAtTheLimit() {
        ToolCall call = new ToolCall("c1", "current_time", "{}");
        state.startRound();
        assertInstanceOf(RunState.Next.RunTools.class, state.reply(new LlmReply("", List.of(call), "tool_calls", 5, 1,
                null), 2));
        assertTrue(state.emit(new RunEvent.ToolExecuting("c1", "current_time", null, jakarta.json.JsonValue.EMPTY_JSON_OBJECT)));
        assertFalse(state.delta("text while tools run"), "a delta was accepted while tools ran");
        assertTrue(state.startRound());
        RunState.Next second = state.reply(new LlmReply("", List.of(call), "tool_calls", 7, 2, null), 2);
        RunState.Next.Fail fail = assertInstanceOf(RunState.Next.Fail.class, second);
        assertEquals("LLM_ERROR", fail.failure().code().name());
        assertEquals(12, fail.snapshot().inputTokens());
        assertEquals(3, fail.snapshot().outputTokens());
        assertEquals("model-a", fail.snapshot().model(), "a reply without a model name kept the configured one");
    }

    @Test
    void aToolCallWithoutAnIdFailsTheRunInsteadOfRunningIt() {
        state.startRound();
        RunState.Next next = state.reply(new LlmReply("", List.of(new ToolCall(null, "current_time", "{}")),
                "tool_calls", 1, 1, null), 5);
        assertInstanceOf(RunState.Next.Fail.class, next);
    }

    @Test
    void onlyTheFirstEndingGetsThroughAndOnlyOneTerminalEventIsSent() {
        state.startRound();
        state.delta("part");
        assertTrue(state.beginEnd().isPresent());
        assertTrue(state.beginEnd().isEmpty(), "a second ending got through");
        assertInstanceOf(RunState.Next.Ignore.class, state.reply(new LlmReply("x", List.of(), "stop", 1, 1, null), 5));
        assertFalse(state.emit(new RunEvent.AgentThinking("late")));
        state.end(new RunEvent.RunCancelled(null, "part"));
        assertThrows(IllegalStateException.class, () -> state.end(new RunEvent.AgentError("LLM_ERROR", "x", true, null,
                null)));
        outbox.drain();
        assertEquals(1, sent.stream().filter(e -> e.event().terminal()).count());
        assertEquals("run_cancelled", sent.get(sent.size() - 1).event().type());
    }

    @Test
    void aTerminalEventCannotBeEmittedAsAnOrdinaryOne() {
        assertThrows(IllegalArgumentException.class, () -> state.emit(new RunEvent.AgentCompleted("m", "c", "stop", 1,
                1, 1, "m")));
        assertThrows(IllegalArgumentException.class, () -> state.end(new RunEvent.AgentDelta("x")));
    }

    @Test
    void concurrentDeltasLeaveInSeqOrderWithNoGap() throws InterruptedException {
        state.startRound();
        List<AgentEvent> received = java.util.Collections.synchronizedList(new ArrayList<>());
        InOrder<AgentEvent> shared = new InOrder<>(received::add);
        RunState concurrent = new RunState("r", "t", "m", shared, Clock.systemUTC());
        concurrent.startRound();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger accepted = new AtomicInteger();
        for (int t = 0; t < 4; t++) {
            pool.execute(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 1_000; i++) {
                    if (concurrent.delta("x")) {
                        accepted.incrementAndGet();
                    }
                    shared.drain();
                }
            });
        }
        go.countDown();
        pool.shutdown();
        assertTrue(pool.awaitTermination(20, TimeUnit.SECONDS));
        shared.drain();
        assertEquals(4_000, accepted.get());
        for (int i = 0; i < received.size(); i++) {
            assertEquals(i + 1, received.get(i).seq(), "event " + i + " left out of order");
        }
    }

    @Test
    void aModelAskingForToolsOnceTheOutputTokensAreUsedEndsWithOutputLimit() {
        state.startRound();
        ToolCall call = new ToolCall("c1", "current_time", "{}");
        RunState.Next first = state.reply(new LlmReply("", List.of(call), "tool_calls", 10, 40, null), 5, 100);
        assertInstanceOf(RunState.Next.RunTools.class, first);
        assertEquals(40, state.outputTokens());
        state.startRound();
        RunState.Next second = state.reply(new LlmReply("", List.of(call), "tool_calls", 10, 60, null), 5, 100);
        RunState.Next.Fail fail = assertInstanceOf(RunState.Next.Fail.class, second);
        assertEquals(dev.candor.application.ErrorCode.OUTPUT_LIMIT, fail.failure().code());
        assertFalse(fail.failure().retryable());
        assertEquals(RunState.Stage.ENDING, state.stage());
    }

    @Test
    void aFinalReplyOverTheOutputTokensIsStillTheProvidersAnswer() {
        state.startRound();
        RunState.Next next = state.reply(new LlmReply("long", List.of(), "length", 10, 150, null), 5, 100);
        RunState.Next.Complete complete = assertInstanceOf(RunState.Next.Complete.class, next);
        assertEquals("length", complete.finishReason(), "the provider's finish reason is kept, never made up");
    }
}
