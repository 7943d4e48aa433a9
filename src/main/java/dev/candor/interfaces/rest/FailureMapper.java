package dev.candor.interfaces.rest;

import dev.candor.application.ErrorCode;
import dev.candor.application.ErrorReport;
import dev.candor.application.Failures;
import dev.candor.application.startup.DependencyMonitor;
import jakarta.inject.Inject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Every failure of a REST call, through the one mapping in {@link Failures}: the body is
 * {@code {"error_code", "message", "retryable"}} plus {@code correlation_id} / {@code retry_after_ms} where they apply,
 * with the HTTP status of the code. JAX-RS's own errors (404 of an unknown path, 405, 415 ...) keep their status.
 */
@Provider
public class FailureMapper implements ExceptionMapper<Throwable> {

    private static final JsonProvider JSON = JsonProvider.provider();

    @Inject
    DependencyMonitor monitor;

    @Override
    public Response toResponse(Throwable failure) {
        if (failure instanceof ForbiddenException) {
            return body(403, ErrorCode.FORBIDDEN.name(), "You are signed in, but your account lacks the group Candor "
                    + "requires; ask an administrator for access.", false, null, null);
        }
        if (failure instanceof WebApplicationException web) {
            return web.getResponse(); // JAX-RS's own answer: unknown path, wrong method or media type, ...
        }
        monitor.failed(failure);
        ErrorReport report = Failures.report(failure, "a REST call");
        Response response = body(status(report.code()), report.code().name(), report.message(), report.retryable(),
                report.retryAfterMs(), report.correlationId());
        if (report.code() == ErrorCode.AUTH_FAILED) {
            response.getHeaders().add("WWW-Authenticate", "Bearer realm=\"candor\", error=\"invalid_token\"");
        }
        return response;
    }

    static int status(ErrorCode code) {
        return switch (code) {
            case INVALID_JSON, INVALID_MESSAGE, UNKNOWN_TYPE, MESSAGE_TOO_LARGE, UNSUPPORTED_FRAME -> 400;
            case AUTH_FAILED -> 401;
            case FORBIDDEN -> 403;
            case THREAD_NOT_FOUND, RUN_NOT_FOUND, APPROVAL_NOT_PENDING -> 404;
            case THREAD_BUSY -> 409;
            case RATE_LIMITED, TOO_MANY_CONNECTIONS -> 429;
            case SERVICE_INIT_FAILED, SERVICE_UNAVAILABLE, NOT_READY, LLM_UNAVAILABLE -> 503;
            case LLM_TIMEOUT -> 504;
            default -> 500;
        };
    }

    private static Response body(int status, String code, String message, boolean retryable, Long retryAfterMs,
                                 String correlationId) {
        JsonObjectBuilder body = JSON.createObjectBuilder().add("error_code", code).add("message", message)
                .add("retryable", retryable);
        if (retryAfterMs != null) {
            body.add("retry_after_ms", retryAfterMs);
        }
        if (correlationId != null) {
            body.add("correlation_id", correlationId);
        }
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body.build()).build();
    }
}
