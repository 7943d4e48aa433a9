package dev.candor.application.agent;

/** Port to the protocol codec: turns a run event into its wire frame. */
public interface RunEventEncoder {

    String encode(AgentEvent event);
}
