package dev.candor.interfaces.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FrameSenderTest {

    @Test
    void countsQueuedFramesInUtf8Bytes() {
        for (String text : new String[] {"", "ascii", "é", "€uro", "emoji \uD83D\uDE00 pair"}) {
            assertEquals(text.getBytes(StandardCharsets.UTF_8).length, FrameSender.utf8Length(text), text);
        }
        assertEquals(3, FrameSender.utf8Length("\uD800"), "an unpaired surrogate counts as much as it could take");
    }
}
