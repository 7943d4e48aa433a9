package dev.candor.infrastructure.llm;

import dev.candor.application.agent.LlmMessage;
import dev.candor.application.agent.LlmReply;
import dev.candor.application.agent.ToolCall;
import dev.candor.application.agent.ToolSpec;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonBooleanSchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonNumberSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Translates between Candor's model types and LangChain4j's. The only place both meet. */
final class LangChainMapping {

    private LangChainMapping() {
    }

    /**
     * The provider request; its max output tokens is the request's, but never more than {@code configuredMax}
     * ({@code candor.llm.max-tokens}, when set).
     */
    static ChatRequest toChatRequest(dev.candor.application.agent.LlmRequest request, Integer configuredMax) {
        List<ChatMessage> messages = new ArrayList<>();
        for (LlmMessage message : request.messages()) {
            messages.add(toMessage(message));
        }
        ChatRequest.Builder builder = ChatRequest.builder().messages(messages);
        Integer max = request.maxOutputTokens() == null ? configuredMax : configuredMax == null
                ? request.maxOutputTokens() : Integer.valueOf(Math.min(request.maxOutputTokens(), configuredMax));
        if (max != null) {
            builder.maxOutputTokens(max);
        }
        if (request.model() != null) {
            builder.modelName(request.model());
        }
        if (!request.tools().isEmpty()) {
            builder.toolSpecifications(request.tools().stream().map(LangChainMapping::toSpecification).toList());
        }
        return builder.build();
    }

    static LlmReply toReply(ChatResponse response, String configuredModel) {
        AiMessage ai = response.aiMessage();
        List<ToolCall> calls = ai.hasToolExecutionRequests()
                ? ai.toolExecutionRequests().stream().map(r -> new ToolCall(r.id(), r.name(), r.arguments())).toList()
                : List.of();
        TokenUsage usage = response.tokenUsage();
        return new LlmReply(ai.text() == null ? "" : ai.text(), calls, finishReason(response.finishReason()),
                usage == null || usage.inputTokenCount() == null ? 0 : usage.inputTokenCount(),
                usage == null || usage.outputTokenCount() == null ? 0 : usage.outputTokenCount(),
                response.modelName() != null ? response.modelName() : configuredModel);
    }

    private static ChatMessage toMessage(LlmMessage message) {
        if (message instanceof LlmMessage.System system) {
            return SystemMessage.from(system.text());
        } else if (message instanceof LlmMessage.User user) {
            return UserMessage.from(user.text());
        } else if (message instanceof LlmMessage.Assistant assistant) {
            List<ToolExecutionRequest> requests = assistant.toolCalls().stream().map(c -> ToolExecutionRequest.builder()
                    .id(c.id()).name(c.name()).arguments(c.argumentsJson()).build()).toList();
            String text = assistant.text() == null || assistant.text().isEmpty() ? null : assistant.text();
            return requests.isEmpty() ? AiMessage.from(assistant.text()) : AiMessage.from(text, requests);
        } else {
            LlmMessage.ToolResult result = (LlmMessage.ToolResult) message;
            return ToolExecutionResultMessage.from(result.callId(), result.toolName(), result.text());
        }
    }

    private static ToolSpecification toSpecification(ToolSpec tool) {
        return ToolSpecification.builder().name(tool.name()).description(tool.description())
                .parameters((JsonObjectSchema) toSchema(tool.parameters())).build();
    }

    /** JSON Schema (the subset tools use: object, string, integer, number, boolean, array, enum) to LangChain4j's. */
    static JsonSchemaElement toSchema(JsonObject schema) {
        String description = schema.getString("description", null);
        if (schema.containsKey("enum")) {
            return JsonEnumSchema.builder().description(description).enumValues(schema.getJsonArray("enum").stream()
                    .map(v -> ((JsonString) v).getString()).toList()).build();
        }
        String type = schema.getString("type", "string");
        return switch (type) {
            case "object" -> {
                JsonObjectSchema.Builder object = JsonObjectSchema.builder().description(description);
                schema.getOrDefault("properties", JsonValue.EMPTY_JSON_OBJECT).asJsonObject().forEach((name, value) ->
                        object.addProperty(name, toSchema(value.asJsonObject())));
                if (schema.containsKey("required")) {
                    object.required(schema.getJsonArray("required").stream()
                            .map(v -> ((JsonString) v).getString()).toList());
                }
                yield object.build();
            }
            case "integer" -> JsonIntegerSchema.builder().description(description).build();
            case "number" -> JsonNumberSchema.builder().description(description).build();
            case "boolean" -> JsonBooleanSchema.builder().description(description).build();
            case "array" -> JsonArraySchema.builder().description(description)
                    .items(toSchema(schema.getOrDefault("items", JsonValue.EMPTY_JSON_OBJECT).asJsonObject())).build();
            default -> JsonStringSchema.builder().description(description).build();
        };
    }

    private static String finishReason(FinishReason reason) {
        if (reason == null) {
            return "unknown";
        }
        return switch (reason) {
            case STOP -> "stop";
            case LENGTH -> "length";
            case TOOL_EXECUTION -> "tool_calls";
            case CONTENT_FILTER -> "content_filter";
            default -> reason.name().toLowerCase(Locale.ROOT);
        };
    }
}
