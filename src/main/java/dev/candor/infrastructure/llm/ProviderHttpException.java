package dev.candor.infrastructure.llm;

import dev.langchain4j.exception.HttpException;
import java.time.Duration;
import java.util.Optional;

/** A provider's non-2xx answer, keeping what LangChain4j's own exception drops: the Retry-After header. */
final class ProviderHttpException extends HttpException {

    private final transient Duration retryAfter;

    ProviderHttpException(int statusCode, String body, Duration retryAfter) {
        super(statusCode, body);
        this.retryAfter = retryAfter;
    }

    Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
