package dev.candor.application.tool;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.spi.JsonProvider;
import jakarta.json.JsonObject;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** {@code current_time}: the current date and time in an IANA time zone. */
@ApplicationScoped
public class CurrentTimeTool implements Tool {

    /** Looked up once: every Json.createX() call would search for the provider again. */
    private static final JsonProvider JSON = JsonProvider.provider();

    @Override
    public String name() {
        return "current_time";
    }

    @Override
    public String description() {
        return "Returns the current date and time in the given IANA time zone, e.g. Europe/Paris or UTC.";
    }

    @Override
    public JsonObject parameters() {
        return JSON.createObjectBuilder().add("type", "object")
                .add("properties", JSON.createObjectBuilder().add("zone", JSON.createObjectBuilder()
                        .add("type", "string").add("description", "IANA time zone id, e.g. America/New_York")))
                .add("required", JSON.createArrayBuilder().add("zone")).build();
    }

    @Override
    public String execute(JsonObject arguments, String ownerId) {
        String zone = arguments.getString("zone", "UTC");
        try {
            return ZonedDateTime.now(ZoneId.of(zone)).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME) + " (" + zone + ")";
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("unknown time zone '" + zone + "'; use an IANA id such as Europe/Paris");
        }
    }
}
