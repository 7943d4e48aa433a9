package dev.candor.interfaces.rest;

import dev.candor.application.CandorException;
import dev.candor.application.ErrorCode;
import dev.candor.domain.thread.ChatMessage;
import dev.candor.domain.thread.ChatThread;
import dev.candor.domain.thread.ThreadRepository;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.spi.JsonProvider;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.Locale;

/**
 * The user's threads: list (newest first, paged), read messages, rename, delete. A thread that is not the caller's
 * answers 404, exactly like one that does not exist. The caller is the principal {@link BearerAuthentication}
 * installed; only a Candor user may call.
 */
@Path("/threads")
@RequestScoped
@RolesAllowed(BearerAuthentication.USER)
@Produces(MediaType.APPLICATION_JSON)
public class ThreadResource {

    /** Looked up once: every Json.createX() call would search for the provider again. */
    private static final JsonProvider JSON = JsonProvider.provider();

    private static final int MAX_PAGE_SIZE = 100;

    @Inject
    ThreadRepository threads;

    @Context
    SecurityContext security;

    @GET
    public JsonObject list(@QueryParam("page") @DefaultValue("0") int page,
                           @QueryParam("size") @DefaultValue("20") int size) {
        int limit = Math.max(1, Math.min(size, MAX_PAGE_SIZE));
        int offset = Math.max(0, page) * limit;
        JsonArrayBuilder items = JSON.createArrayBuilder();
        threads.list(owner(), offset, limit).forEach(t -> items.add(thread(t)));
        return JSON.createObjectBuilder().add("items", items).add("page", Math.max(0, page)).add("size", limit)
                .add("total", threads.count(owner())).build();
    }

    @GET
    @Path("/{id}/messages")
    public JsonObject messages(@PathParam("id") String id) {
        ChatThread thread = threads.find(id, owner()).orElseThrow(() -> notFound(id));
        JsonArrayBuilder items = JSON.createArrayBuilder();
        for (ChatMessage m : threads.messages(id)) {
            var item = JSON.createObjectBuilder().add("id", m.id()).add("role", m.role().name().toLowerCase(Locale.ROOT))
                    .add("content", m.content()).add("status", m.status().name().toLowerCase(Locale.ROOT))
                    .add("created_at", m.createdAt().toString());
            if (m.runId() != null) {
                item.add("run_id", m.runId());
            }
            items.add(item);
        }
        return JSON.createObjectBuilder().add("thread", thread(thread)).add("messages", items).build();
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public JsonObject rename(@PathParam("id") String id, JsonObject body) {
        if (!(body.get("title") instanceof JsonString title) || title.getString().isBlank()
                || title.getString().length() > ChatThread.MAX_TITLE) {
            throw new CandorException(ErrorCode.INVALID_MESSAGE, "'title' must be a string of 1 to "
                    + ChatThread.MAX_TITLE + " characters", false);
        }
        if (!threads.rename(id, owner(), title.getString().strip())) {
            throw notFound(id);
        }
        return thread(threads.find(id, owner()).orElseThrow(() -> notFound(id)));
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id) {
        if (!threads.delete(id, owner())) {
            throw notFound(id);
        }
        return Response.noContent().build();
    }

    private String owner() {
        return security.getUserPrincipal().getName();
    }

    private static JsonObject thread(ChatThread t) {
        return JSON.createObjectBuilder().add("id", t.id()).add("title", t.title())
                .add("created_at", t.createdAt().toString()).add("updated_at", t.updatedAt().toString()).build();
    }

    private static CandorException notFound(String id) {
        return new CandorException(ErrorCode.THREAD_NOT_FOUND, "thread " + id + " was not found", false);
    }
}
