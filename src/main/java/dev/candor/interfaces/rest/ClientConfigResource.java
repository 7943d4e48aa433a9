package dev.candor.interfaces.rest;

import dev.candor.infrastructure.config.AuthConfig;
import dev.candor.infrastructure.config.CandorConfig;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /api/client-config} (public): what the page needs to sign in: the mode and, with {@code oidc}, the
 * issuer, the public client id and the scopes. Nothing secret is here.
 */
@Path("/client-config")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class ClientConfigResource {

    private static final JsonProvider JSON = JsonProvider.provider();

    @Inject
    CandorConfig config;

    @GET
    public JsonObject get() {
        AuthConfig auth = config.auth();
        JsonObjectBuilder body = JSON.createObjectBuilder().add("auth_mode", auth.oidc() ? "oidc" : "none");
        if (auth.oidc()) {
            auth.issuer().ifPresent(issuer -> body.add("issuer", issuer));
            body.add("client_id", auth.clientId()).add("scope", auth.scope());
        }
        return body.build();
    }
}
