package dev.candor.application.agent;

import dev.candor.application.chat.EventBridge;
import dev.candor.application.chat.ThreadService;
import dev.candor.application.tool.ToolRegistry;
import dev.candor.domain.run.RunRepository;
import dev.candor.infrastructure.config.AgentConfig;
import java.util.concurrent.Executor;

/** What every run needs, handed over by the supervisor. */
record RunServices(LanguageModel model, ToolRegistry tools, RunEventLog log, EventBridge bridge,
                   ThreadService threads, RunRepository runs, AgentConfig config, Executor executor) {
}
