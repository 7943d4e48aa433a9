package dev.candor.application.agent;

import java.util.Optional;

/** Port to the protocol codec: turns a run event into its wire frame, and reads the answer text back out of one. */
public interface RunEventEncoder {

    String encode(AgentEvent event);

    /** The text of an {@code agent_delta} frame; empty for any other frame. */
    Optional<String> deltaText(String frame);
}
