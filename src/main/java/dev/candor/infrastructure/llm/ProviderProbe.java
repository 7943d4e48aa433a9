package dev.candor.infrastructure.llm;

import jakarta.json.spi.JsonProvider;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;

/**
 * Proves, within a bound, that the configured provider really answers: by default by listing its models
 * ({@code candor.llm.check=models}), or with a one-token chat request ({@code candor.llm.check=chat}).
 */
final class ProviderProbe {

    /** Looked up once: every Json.createX() call would search for the provider again. */
    private static final JsonProvider JSON = JsonProvider.provider();

    static final String ANTHROPIC_VERSION = "2023-06-01";

    private final HttpClient http;

    ProviderProbe(HttpClient http) {
        this.http = http;
    }

    void check(LlmSettings settings) {
        HttpRequest request = switch (settings.check()) {
            case "models" -> authorized(settings, HttpRequest.newBuilder(settings.resolve("/models")).GET());
            case "chat" -> chatRequest(settings);
            default -> throw new LlmNotConfiguredException(
                    "candor.llm.check must be 'models' or 'chat', not '" + settings.check() + "'");
        };
        send(settings, request);
    }

    private void send(LlmSettings settings, HttpRequest request) {
        String what = request.method() + " " + request.uri().getPath();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 429) {
                return; // the provider answers and is busy: up, not lost (runs meet its limit on their own)
            }
            if (response.statusCode() / 100 != 2) {
                throw new LlmUnavailableException(String.format("LLM provider %s answered HTTP %d to %s: %s. %s",
                        settings.describe(), response.statusCode(), what, abbreviate(response.body()),
                        advice(response.statusCode())), null);
            }
        } catch (HttpTimeoutException e) {
            throw new LlmUnavailableException(String.format("LLM provider %s did not answer %s within %d ms",
                    settings.describe(), what, settings.checkTimeout().toMillis()), e);
        } catch (ConnectException e) {
            throw new LlmUnavailableException(String.format("cannot reach LLM provider %s (%s); check CANDOR_LLM_BASE_URL "
                    + "and that the server runs", settings.describe(), e.getClass().getSimpleName()), e);
        } catch (IOException e) {
            throw new LlmUnavailableException("LLM provider " + settings.describe() + " failed on " + what + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LlmUnavailableException("interrupted while checking LLM provider " + settings.describe(), e);
        }
    }

    private HttpRequest chatRequest(LlmSettings settings) {
        var body = JSON.createObjectBuilder().add("model", settings.model()).add("max_tokens", 1)
                .add("messages", JSON.createArrayBuilder().add(
                        JSON.createObjectBuilder().add("role", "user").add("content", "ping")))
                .build().toString();
        String path = settings.provider() == LlmProvider.ANTHROPIC ? "/messages" : "/chat/completions";
        return authorized(settings, HttpRequest.newBuilder(settings.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static HttpRequest authorized(LlmSettings settings, HttpRequest.Builder builder) {
        builder.timeout(settings.checkTimeout());
        settings.apiKey().ifPresent(key -> {
            if (settings.provider() == LlmProvider.ANTHROPIC) {
                builder.header("x-api-key", key.reveal()).header("anthropic-version", ANTHROPIC_VERSION);
            } else {
                builder.header("Authorization", "Bearer " + key.reveal());
            }
        });
        return builder.build();
    }

    private static String advice(int status) {
        return switch (status) {
            case 401, 403 -> "Check CANDOR_LLM_API_KEY";
            case 404 -> "Check CANDOR_LLM_BASE_URL (it should end with the API version, e.g. /v1) and CANDOR_LLM_MODEL";
            case 429 -> "The provider is rate limiting; retry later";
            default -> "Check the provider's status";
        };
    }

    private static String abbreviate(String body) {
        String oneLine = body == null ? "" : body.replaceAll("\\s+", " ").trim();
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "...";
    }

}
