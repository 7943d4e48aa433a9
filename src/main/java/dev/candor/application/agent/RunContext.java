package dev.candor.application.agent;

import dev.candor.application.tool.ToolRegistry;
import dev.candor.infrastructure.config.AgentConfig;

/** The collaborators every run uses, handed over by the supervisor. */
record RunContext(LanguageModel model, ToolRegistry registry, ToolRunner tools, RunOutcomes outcomes,
                  EventLogWriter writer, EventBridge bridge, RunEventEncoder encoder, AgentConfig config) {
}
