package dev.candor.application.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RunJournalTest {

    @Test
    void replaysAfterASeqAndIsDurableOnlyOnceEndedAndAllWritten() {
        RunJournal journal = new RunJournal("r");
        for (long seq = 1; seq <= 4; seq++) {
            journal.add(new EncodedEvent("r", seq, seq == 4, "e" + seq));
        }
        assertEquals(List.of(3L, 4L), journal.after(2).stream().map(EncodedEvent::seq).toList());
        assertEquals(4, journal.after(0).size());
        assertTrue(journal.after(9).isEmpty());
        assertEquals(List.of(1L, 2L), journal.unwritten(2).stream().map(EncodedEvent::seq).toList());
        journal.written(2);
        assertTrue(journal.ended());
        assertFalse(journal.durable());
        assertEquals(List.of(3L, 4L), journal.unwritten(10).stream().map(EncodedEvent::seq).toList());
        journal.written(2);
        assertTrue(journal.durable());
        assertFalse(journal.hasUnwritten());
    }
}
