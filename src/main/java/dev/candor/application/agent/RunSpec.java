package dev.candor.application.agent;

import java.util.List;

/**
 * What a run answers: the stored user message {@code userMessageId} on {@code threadId} (new when
 * {@code newThreadTitle} is set), for {@code ownerId}, with {@code conversation} as the model's context.
 */
public record RunSpec(String runId, String threadId, String ownerId, String userMessageId, String newThreadTitle,
                      List<LlmMessage> conversation) {
}
