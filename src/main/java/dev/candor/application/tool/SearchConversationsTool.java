package dev.candor.application.tool;

import dev.candor.domain.thread.MessageHit;
import dev.candor.domain.thread.ThreadRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.spi.JsonProvider;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;

/** {@code search_conversations}: finds text in the user's own stored messages. Never another user's. */
@ApplicationScoped
public class SearchConversationsTool implements Tool {

    /** Looked up once: every Json.createX() call would search for the provider again. */
    private static final JsonProvider JSON = JsonProvider.provider();

    private static final int MAX_RESULTS = 10;
    private static final int SNIPPET = 300;

    @Inject
    ThreadRepository threads;

    @Override
    public String name() {
        return "search_conversations";
    }

    @Override
    public String description() {
        return "Searches the user's earlier conversations for messages containing the given text (case-insensitive) "
                + "and returns up to " + MAX_RESULTS + " of them, newest first.";
    }

    @Override
    public JsonObject parameters() {
        return JSON.createObjectBuilder().add("type", "object")
                .add("properties", JSON.createObjectBuilder().add("query", JSON.createObjectBuilder()
                        .add("type", "string").add("description", "text to look for")))
                .add("required", JSON.createArrayBuilder().add("query")).build();
    }

    @Override
    public String execute(JsonObject arguments, String ownerId) {
        String query = arguments.getString("query", "").strip();
        if (query.isEmpty()) {
            throw new IllegalArgumentException("'query' must not be empty");
        }
        JsonArrayBuilder results = JSON.createArrayBuilder();
        for (MessageHit hit : threads.search(ownerId, query, MAX_RESULTS)) {
            String content = hit.message().content();
            results.add(JSON.createObjectBuilder().add("thread_id", hit.message().threadId())
                    .add("thread_title", hit.threadTitle()).add("role", hit.message().role().name().toLowerCase(java.util.Locale.ROOT))
                    .add("created_at", hit.message().createdAt().toString())
                    .add("text", content.length() <= SNIPPET ? content : content.substring(0, SNIPPET) + "..."));
        }
        JsonObject result = JSON.createObjectBuilder().add("query", query).add("results", results).build();
        return result.toString();
    }
}
