package dev.evalfleet.coordinator.access;

import dev.evalfleet.coordinator.api.PayloadTooLargeException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Refuses a JSON request body (a job, a key) larger than {@code maxJsonBody} before anything reads it.
 * Files (datasets, samples) are uploads with limits of their own.
 */
final class JsonBodyLimitFilter extends OncePerRequestFilter {

    private static final Set<String> UPLOADS = Set.of("/api/datasets", "/api/jobs/from-samples");

    private final long maxBytes;
    private final HandlerExceptionResolver errors;

    JsonBodyLimitFilter(long maxBytes, HandlerExceptionResolver errors) {
        this.maxBytes = maxBytes;
        this.errors = errors;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !hasBody(request)
                || request.getContentType() == null
                || UPLOADS.contains(request.getRequestURI())
                || !isJson(request.getContentType());
    }

    /** A body is announced by its length or by chunks; a GET naming a content type has none. */
    private static boolean hasBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long length = request.getContentLengthLong();
        if (length < 0 || length > maxBytes) {
            errors.resolveException(
                    request,
                    response,
                    null,
                    new PayloadTooLargeException(
                            length < 0
                                    ? "A JSON body must state its Content-Length (at most " + maxBytes + " bytes)"
                                    : "The JSON body has " + length + " bytes; at most " + maxBytes + " are accepted"));
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean isJson(String contentType) {
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return type.isCompatibleWith(MediaType.APPLICATION_JSON)
                    || type.getSubtype().endsWith("+json");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
