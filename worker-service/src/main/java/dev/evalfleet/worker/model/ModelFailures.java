package dev.evalfleet.worker.model;

import com.openai.errors.OpenAIServiceException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.ai.retry.NonTransientAiException;
import org.springframework.ai.retry.TransientAiException;
import org.springframework.web.client.RestClientResponseException;

/**
 * Tells a model failure worth another attempt (the server is unreachable, slow, overloaded or
 * broken) from one that would fail the same way again (the request itself is wrong).
 */
final class ModelFailures {

    private static final Pattern LEADING_STATUS = Pattern.compile("^(\\d{3})\\b");

    /**
     * Connection errors, timeouts, HTTP 429 and 5xx are worth a retry; any other 4xx, and failures
     * of unknown kind, are not.
     */
    static boolean worthRetrying(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            Integer status = statusOf(cause);
            if (status != null) {
                return status == 429 || status >= 500;
            }
            if (cause instanceof IOException
                    || cause instanceof TimeoutException
                    || cause instanceof TransientAiException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the server refused the request as overloaded: 429, 503, or Ollama's "server busy" (its
     * answer when its queue is full).
     */
    static boolean overloaded(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            Integer status = statusOf(cause);
            if (status != null) {
                return status == 429 || status == 503;
            }
            if (cause.getMessage() != null && cause.getMessage().toLowerCase().contains("server busy")) {
                return true;
            }
        }
        return false;
    }

    /** The HTTP status a failure reports, by whichever client raised it; {@code null} for none. */
    private static Integer statusOf(Throwable failure) {
        if (failure instanceof RestClientResponseException response) {
            return response.getStatusCode().value();
        }
        if (failure instanceof OpenAIServiceException service) {
            return service.statusCode();
        }
        if (failure instanceof NonTransientAiException && failure.getMessage() != null) {
            // Spring AI's default error handler writes "<status> - <body>".
            Matcher status = LEADING_STATUS.matcher(failure.getMessage());
            return status.find() ? Integer.valueOf(status.group(1)) : null;
        }
        return null;
    }

    private ModelFailures() {}
}
