package dev.candor.application.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FollowerTest {

    private final List<Long> delivered = new ArrayList<>();
    private final EventSink sink = (connection, event) -> delivered.add(event.seq());

    @Test
    void aLiveFollowerGetsEachEventOnceInOrder() {
        Follower follower = new Follower("c", 0, false);
        follower.offer(event(1), sink);
        follower.offer(event(2), sink);
        follower.offer(event(2), sink);
        assertEquals(List.of(1L, 2L), delivered);
    }

    @Test
    void aResumingFollowerBuffersLiveEventsUntilTheReplayThenSkipsWhatItAlreadySent() {
        Follower follower = new Follower("c", 2, true);
        follower.offer(event(6), sink);
        follower.offer(event(5), sink);
        assertTrue(delivered.isEmpty(), "live events went out before the replay");
        follower.replayed(List.of(event(1), event(2), event(3), event(4), event(5)), sink);
        assertEquals(List.of(3L, 4L, 5L, 6L), delivered);
        follower.offer(event(7), sink);
        assertEquals(List.of(3L, 4L, 5L, 6L, 7L), delivered);
    }

    @Test
    void itRemembersWhetherTheRunEndedAndWhetherTheConnectionIsGone() {
        Follower follower = new Follower("c", 0, true);
        assertTrue(follower.replayed(List.of(event(1), new EncodedEvent("r", 2, true, "{}")), sink));
        assertTrue(follower.sawTerminal());
        Follower gone = new Follower("c", 0, false);
        assertFalse(gone.offer(event(1), (connection, event) -> false));
    }

    private static EncodedEvent event(long seq) {
        return new EncodedEvent("r", seq, false, "{\"seq\":" + seq + "}");
    }
}
