package dev.candor.interfaces.rest;

import dev.candor.infrastructure.security.Identity;
import dev.candor.infrastructure.security.TicketStore;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.spi.JsonProvider;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

/**
 * {@code POST /api/ws-ticket}: a single-use ticket for the WebSocket handshake ({@code /ws/chat?ticket=...}), for
 * clients that cannot send an Authorization header there (browsers).
 */
@Path("/ws-ticket")
@RequestScoped
@RolesAllowed(BearerAuthentication.USER)
@Produces(MediaType.APPLICATION_JSON)
public class TicketResource {

    private static final JsonProvider JSON = JsonProvider.provider();

    @Inject
    TicketStore tickets;

    @Context
    SecurityContext security;

    @POST
    public JsonObject issue() {
        String ticket = tickets.issue((Identity) security.getUserPrincipal());
        return JSON.createObjectBuilder().add("ticket", ticket).add("expires_in", tickets.ttl().toSeconds()).build();
    }
}
