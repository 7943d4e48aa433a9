package dev.candor.application.agent;

import dev.candor.application.limit.UsageLimits;
import dev.candor.application.rollout.RolloutSwitches;
import dev.candor.application.metrics.RunMetrics;
import dev.candor.application.rollout.Cohorts;
import dev.candor.application.tool.ToolRegistry;
import dev.candor.infrastructure.config.AgentConfig;

/**
 * The collaborators every run uses, handed over by the supervisor; {@code storeRetry} bounds the stores of a run's end
 * before its terminal event, {@code backgroundRetry} the status written after it when those failed; {@code limits}
 * counts the run's tokens and bounds its output; {@code approvals} holds the waits for the user's approval of a tool;
 * {@code rollout} picks the run's model; {@code metrics} counts runs by the {@code cohorts} of their users.
 */
record RunContext(LanguageModel model, ToolRegistry registry, ToolRunner tools, ApprovalService approvals,
                  RunOutcomes outcomes,
                  EventLogWriter writer, EventBridge bridge, RunEventEncoder encoder, AgentConfig config,
                  StoreRetry storeRetry, StoreRetry backgroundRetry, UsageLimits limits,
                  RolloutSwitches rollout, RunMetrics metrics, Cohorts cohorts) {
}
