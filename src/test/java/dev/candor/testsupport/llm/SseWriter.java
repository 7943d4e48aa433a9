package dev.candor.testsupport.llm;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * Writes server-sent events to a response body, flushing after each one, and turns a failed write into
 * {@link ClientGone}. Pauses are cut into short slices; while streaming, each slice ends with an SSE comment
 * ({@code : keep-alive}) so that a client that went away is noticed within about {@link #HEARTBEAT_MS}.
 * SSE comments are ignored by SSE clients (LangChain4j's parser skips every line that is not {@code event:} or
 * {@code data:}).
 */
final class SseWriter {

    /** How often a paused or stalled stream probes the connection. */
    static final long HEARTBEAT_MS = 50;

    private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8);

    /** The client closed the connection (a write failed). */
    static final class ClientGone extends IOException {
        private static final long serialVersionUID = 1L;

        ClientGone(IOException cause) {
            super("client went away: " + cause.getMessage(), cause);
        }
    }

    /** The stub drops the connection on purpose (scripted abort, reset or close). */
    static final class Dropped extends IOException {
        private static final long serialVersionUID = 1L;

        Dropped(String why) {
            super(why);
        }
    }

    private final OutputStream out;
    private final BooleanSupplier wanted;

    /**
     * @param out    the (chunked) response body
     * @param wanted false once the stub no longer wants this response (reset or closed)
     */
    SseWriter(OutputStream out, BooleanSupplier wanted) {
        this.out = out;
        this.wanted = wanted;
    }

    /** Writes {@code event: name} (when not null) and {@code data: data}, then a blank line, and flushes. */
    void event(String name, String data) throws IOException {
        StringBuilder frame = new StringBuilder(data.length() + 32);
        if (name != null) {
            frame.append("event: ").append(name).append('\n');
        }
        frame.append("data: ").append(data).append("\n\n");
        write(frame.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Pauses, probing the connection with keep-alive comments. */
    void pause(long millis) throws IOException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        long remaining;
        while ((remaining = (deadline - System.nanoTime()) / 1_000_000) > 0) {
            sleep(Math.min(remaining, HEARTBEAT_MS), wanted);
            if (deadline - System.nanoTime() > 0) {
                write(KEEP_ALIVE);
            }
        }
    }

    /** Sends keep-alive comments until the client goes away ({@link ClientGone}) or the stub drops it. */
    void stall() throws IOException {
        while (true) {
            sleep(HEARTBEAT_MS, wanted);
            write(KEEP_ALIVE);
        }
    }

    private void write(byte[] bytes) throws IOException {
        checkWanted(wanted);
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new ClientGone(e);
        }
    }

    /** Sleeps without writing; throws {@link Dropped} when the stub stops wanting the response. */
    static void sleep(long millis, BooleanSupplier wanted) throws Dropped {
        checkWanted(wanted);
        long deadline = System.nanoTime() + millis * 1_000_000;
        long remaining;
        while ((remaining = (deadline - System.nanoTime()) / 1_000_000) > 0) {
            try {
                Thread.sleep(Math.min(remaining, HEARTBEAT_MS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Dropped("interrupted");
            }
            checkWanted(wanted);
        }
    }

    private static void checkWanted(BooleanSupplier wanted) throws Dropped {
        if (!wanted.getAsBoolean()) {
            throw new Dropped("stub reset or closed");
        }
    }
}
