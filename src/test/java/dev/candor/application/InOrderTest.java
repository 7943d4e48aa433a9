package dev.candor.application;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InOrderTest {

    @Test
    void aHeldQueueDeliversNothingUntilReleasedThenEverythingInOrder() {
        List<Integer> out = new ArrayList<>();
        InOrder<Integer> queue = new InOrder<>(out::add, true);
        queue.add(1);
        queue.add(2);
        queue.drain();
        assertEquals(List.of(), out);
        queue.release();
        queue.add(3);
        queue.drain();
        assertEquals(List.of(1, 2, 3), out);
    }

    @Test
    void aDiscardedQueueNeverDeliversAgain() {
        List<Integer> out = new ArrayList<>();
        InOrder<Integer> queue = new InOrder<>(out::add, true);
        queue.add(1);
        queue.discard();
        queue.add(2);
        queue.drain();
        assertEquals(List.of(), out);
    }
}
