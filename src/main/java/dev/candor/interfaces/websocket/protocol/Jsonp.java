package dev.candor.interfaces.websocket.protocol;

import jakarta.json.spi.JsonProvider;

/** The JSON-P provider, looked up once: every Json.createX() call would search for it again (a ServiceLoader scan). */
final class Jsonp {

    static final JsonProvider PROVIDER = JsonProvider.provider();

    private Jsonp() {
    }
}
