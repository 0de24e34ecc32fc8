package dev.evalfleet.scoring.access;

import dev.evalfleet.scoring.ScoringProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Lets through only callers that send the scoring token, so the sandbox runs code for the workers
 * alone. Health stays open for the probes. A refusal is handed to the service's exception handling,
 * which answers it as problem details like every other error.
 */
@Component
class ScoringTokenFilter extends OncePerRequestFilter {

    private static final String BEARER = "Bearer ";
    private static final String HEALTH = "/actuator/health";

    private final byte[] token;
    private final HandlerExceptionResolver errors;

    ScoringTokenFilter(
            ScoringProperties properties, @Qualifier("handlerExceptionResolver") HandlerExceptionResolver errors) {
        this.token = properties.access().token().getBytes(StandardCharsets.UTF_8);
        this.errors = errors;
    }

    /**
     * Health is open only when the path as sent and the path as the server resolved it both say so:
     * {@code /actuator/health/../prometheus} is not health.
     */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String sent = request.getRequestURI().substring(request.getContextPath().length());
        String resolved = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        return isHealth(sent) && isHealth(resolved);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            refuse(request, response, ScoringTokenRejectedException.missing());
            return;
        }
        byte[] sent = authorization.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8);
        // time taken does not depend on how much of the token a guess gets right
        if (!MessageDigest.isEqual(token, sent)) {
            refuse(request, response, ScoringTokenRejectedException.wrong());
            return;
        }
        chain.doFilter(request, response);
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, ScoringTokenRejectedException e) {
        if (errors.resolveException(request, response, null, e) == null) {
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        }
    }

    private static boolean isHealth(String path) {
        return path.equals(HEALTH) || path.startsWith(HEALTH + "/");
    }
}
