package dev.candor.application.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.candor.domain.run.AgentRun;
import dev.candor.domain.run.RunRepository;
import dev.candor.domain.run.RunStatus;
import dev.candor.domain.thread.ChatMessage;
import dev.candor.domain.thread.MessageStatus;
import dev.candor.domain.thread.ThreadRepository;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A store tried again after a failure whose commit outcome was unknown finds what the earlier attempt stored. */
class RunOutcomesTest {

    private final AgentRun run = new AgentRun("run-1", "thread-1", "user-message-1", Instant.now(), "node-a",
            Instant.now().plusSeconds(15));
    private final List<String> appended = new ArrayList<>();
    private final List<String> updates = new ArrayList<>();
    private final RunOutcomes outcomes = new RunOutcomes();

    RunOutcomesTest() {
        outcomes.runs = fake(RunRepository.class, (name, args) -> switch (name) {
            case "find" -> Optional.of(run);
            case "completed", "failed", "cancelled" -> {
                updates.add(name);
                yield null;
            }
            default -> throw new UnsupportedOperationException(name);
        });
        outcomes.threads = fake(ThreadRepository.class, (name, args) -> {
            if (!name.equals("append")) {
                throw new UnsupportedOperationException(name);
            }
            appended.add((String) args[2]);
            return new ChatMessage("message-" + appended.size(), "thread-1", "owner-1", 2, null, (String) args[2],
                    (MessageStatus) args[3], null, "run-1", Instant.now());
        });
    }

    @Test
    void storesTheAnswerOfARunningRun() {
        assertEquals("message-1", outcomes.completed("run-1", "thread-1", "Paris", "stop", "m", 1, 2));
        assertEquals(List.of("Paris"), appended);
        assertEquals(List.of("completed"), updates);
    }

    @Test
    void aRetryAfterAnUnknownCommitReturnsTheStoredAnswerInsteadOfStoringItTwice() {
        run.complete("message-earlier", "stop", "m", 1, 2, Instant.now()); // the earlier attempt did commit
        assertEquals("message-earlier", outcomes.completed("run-1", "thread-1", "Paris", "stop", "m", 1, 2));
        assertEquals(List.of(), appended, "the answer was stored twice");
        assertEquals(List.of(), updates);
    }

    @Test
    void aRunEndedByAnotherNodeIsNeitherStoredAgainNorOverwritten() {
        run.cancel(null, Instant.now()); // stands in for any ending other than this one's
        RunOutcomes.RunAlreadyEndedException ended = assertThrows(RunOutcomes.RunAlreadyEndedException.class,
                () -> outcomes.completed("run-1", "thread-1", "Paris", "stop", "m", 1, 2));
        assertEquals(RunStatus.CANCELLED, ended.status());
        assertEquals(List.of(), appended);
        outcomes.failed("run-1", "ANSWER_NOT_STORED");
        assertEquals(List.of(), updates, "the ended run's status was overwritten");
    }

    @Test
    void aCancelTriedAgainReturnsThePartialAnswerStoredBefore() {
        run.cancel("partial-earlier", Instant.now());
        assertEquals("partial-earlier", outcomes.cancelled("run-1", "thread-1", "Par"));
        assertEquals(List.of(), appended);
    }

    private interface Answer {
        Object answer(String method, Object[] args);
    }

    private static <T> T fake(Class<T> port, Answer answer) {
        return port.cast(Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port},
                (proxy, method, args) -> answer.answer(method.getName(), args)));
    }
}
