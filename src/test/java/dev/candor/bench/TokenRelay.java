package dev.candor.bench;

import java.util.BitSet;

/**
 * Follows one streamed answer as it arrives. The stand-in streams the tokens "t0 ", "t1 ", ...; the relay reads the
 * concatenated text, so it does not matter how the server groups tokens into frames. A token is reordered when it
 * comes after a later one, repeats one or is not of that form; a token never received is lost. Used by one thread at a
 * time (a WebSocket listener, or the thread reading a direct stream).
 */
final class TokenRelay {

    /**
     * What one streamed answer saw. {@code ttftMicros}: request (or {@code user_message}) to the first text, -1 if
     * none came; {@code streamMicros}: first text to last text; {@code tokens}: tokens received; {@code clean}: the
     * answer ended normally ({@code agent_completed}, or the end of the provider's stream).
     */
    record Sample(long ttftMicros, int tokens, int frames, int lost, int reordered, long streamMicros, boolean clean) {

        /** Tokens per second between the first and the last text; 0 when there were fewer than two tokens. */
        double tokensPerSecond() {
            return tokens < 2 || streamMicros <= 0 ? 0 : (tokens - 1) * 1e6 / streamMicros;
        }
    }

    private final long startNanos;
    private final int expected;
    private final BitSet seen = new BitSet();
    private final StringBuilder pending = new StringBuilder();
    private long firstNanos = -1;
    private long lastNanos;
    private int tokens;
    private int frames;
    private int reordered;
    private int highest = -1;

    TokenRelay(long startNanos, int expected) {
        this.startNanos = startNanos;
        this.expected = expected;
    }

    /** One frame's (or SSE chunk's) text. */
    void text(String text) {
        long now = System.nanoTime();
        if (firstNanos < 0) {
            firstNanos = now;
        }
        lastNanos = now;
        frames++;
        pending.append(text);
        int space;
        while ((space = pending.indexOf(" ")) >= 0) {
            token(pending.substring(0, space));
            pending.delete(0, space + 1);
        }
    }

    private void token(String token) {
        tokens++;
        int index = index(token);
        if (index < 0 || index < highest || seen.get(index)) {
            reordered++;
        }
        if (index >= 0) {
            seen.set(index);
            highest = Math.max(highest, index);
        }
    }

    /** N of "tN", or -1. */
    private static int index(String token) {
        if (token.length() < 2 || token.charAt(0) != 't') {
            return -1;
        }
        try {
            return Integer.parseInt(token, 1, token.length(), 10);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    Sample sample(boolean clean) {
        long ttft = firstNanos < 0 ? -1 : (firstNanos - startNanos) / 1000;
        long stream = firstNanos < 0 ? 0 : (lastNanos - firstNanos) / 1000;
        int garbled = pending.isEmpty() ? 0 : 1;
        int lost = expected - seen.get(0, expected).cardinality();
        return new Sample(ttft, tokens + garbled, frames, lost, reordered + garbled, stream, clean);
    }
}
