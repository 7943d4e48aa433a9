package dev.candor.infrastructure.llm;

import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * LangChain4j's HTTP client SPI on the JDK client, with two things its own lacks: a streaming exchange can be aborted
 * at any stage through the {@link HttpAbort} the caller registers in {@link #CURRENT} (LangChain4j starts the request
 * on the calling thread), and a non-2xx answer keeps its Retry-After header.
 */
final class CancellableHttpClient implements HttpClient {

    /** The abort handle for the streaming request the current thread is about to start. */
    static final ThreadLocal<HttpAbort> CURRENT = new ThreadLocal<>();

    private final java.net.http.HttpClient jdk;
    private final Duration readTimeout;

    CancellableHttpClient(Duration connectTimeout, Duration readTimeout) {
        java.net.http.HttpClient.Builder builder = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1);
        if (connectTimeout != null) {
            builder.connectTimeout(connectTimeout);
        }
        this.jdk = builder.build();
        this.readTimeout = readTimeout;
    }

    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) {
        try {
            HttpResponse<String> response = jdk.send(toJdk(request), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new ProviderHttpException(response.statusCode(), response.body(), retryAfter(response.headers()));
            }
            return SuccessfulHttpResponse.builder().statusCode(response.statusCode())
                    .headers(response.headers().map()).body(response.body()).build();
        } catch (HttpTimeoutException e) {
            throw new TimeoutException(e);
        } catch (IOException e) {
            throw new IllegalStateException("LLM provider request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Streams server-sent events. LangChain4j's {@code parser} reads an InputStream, which would hold a thread per
     * stream and wake it for every chunk; {@link SseLines} parses the same way from lines the JDK client pushes.
     */
    @Override
    public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
        HttpAbort abort = CURRENT.get() != null ? CURRENT.get() : new HttpAbort();
        SseLines events = new SseLines(listener, abort);
        CompletableFuture<HttpResponse<Void>> exchange = jdk.sendAsync(toJdk(request), info -> {
            if (info.statusCode() / 100 != 2) {
                return HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofString(
                        StandardCharsets.UTF_8), body -> {
                            events.fail(new ProviderHttpException(info.statusCode(), body, retryAfter(info.headers())));
                            return null;
                        });
            }
            listener.onOpen(SuccessfulHttpResponse.builder().statusCode(info.statusCode())
                    .headers(info.headers().map()).build());
            return HttpResponse.BodySubscribers.fromLineSubscriber(events, lines -> null, StandardCharsets.UTF_8,
                    null);
        });
        abort.onAbort(() -> exchange.cancel(true));
        exchange.exceptionally(error -> {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause()
                    : error;
            events.fail(cause instanceof HttpTimeoutException ? new TimeoutException(cause) : cause);
            return null;
        });
    }

    private java.net.http.HttpRequest toJdk(HttpRequest request) {
        java.net.http.HttpRequest.Builder builder = java.net.http.HttpRequest.newBuilder(URI.create(request.url()));
        request.headers().forEach((name, values) -> {
            if (values != null) {
                values.forEach(value -> builder.header(name, value));
            }
        });
        builder.method(request.method().name(), request.body() != null
                ? java.net.http.HttpRequest.BodyPublishers.ofString(request.body())
                : java.net.http.HttpRequest.BodyPublishers.noBody());
        if (readTimeout != null) {
            builder.timeout(readTimeout);
        }
        return builder.build();
    }

    /** Retry-After as seconds or an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(HttpHeaders headers) {
        return headers.firstValue("Retry-After").map(String::trim).map(value -> {
            try {
                return Duration.ofSeconds(Math.max(0, Long.parseLong(value)));
            } catch (NumberFormatException notSeconds) {
                try {
                    Duration until = Duration.between(ZonedDateTime.now(),
                            ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
                    return until.isNegative() ? Duration.ZERO : until;
                } catch (DateTimeParseException unreadable) {
                    return null;
                }
            }
        }).orElse(null);
    }

    /** Builder handed to LangChain4j's model builders. */
    static final class Builder implements HttpClientBuilder {
        private Duration connectTimeout;
        private Duration readTimeout;

        @Override
        public Duration connectTimeout() {
            return connectTimeout;
        }

        @Override
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        @Override
        public Duration readTimeout() {
            return readTimeout;
        }

        @Override
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = timeout;
            return this;
        }

        @Override
        public HttpClient build() {
            return new CancellableHttpClient(connectTimeout, readTimeout);
        }
    }

}
