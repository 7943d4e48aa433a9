package dev.candor.interfaces.rest;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** JAX-RS resources live under {@code /api}. */
@ApplicationPath("/api")
public class RestApplication extends Application {
}
