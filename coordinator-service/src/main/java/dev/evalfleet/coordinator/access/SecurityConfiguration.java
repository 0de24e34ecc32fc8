package dev.evalfleet.coordinator.access;

import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;

import dev.evalfleet.coordinator.CoordinatorProperties;
import dev.evalfleet.coordinator.api.ForbiddenException;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Every request but health, the dashboard's files and the API's documentation needs a bearer token:
 * an API key or, where an identity provider is configured, its JWT. Reading needs {@code viewer},
 * starting and importing {@code evaluator}, keys {@code admin}. Errors are the API's problem details.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    private static final String BEARER = "bearer";

    @Bean
    static RoleHierarchy roleHierarchy() {
        return RoleHierarchyImpl.withDefaultRolePrefix()
                .role(Role.ADMIN.name())
                .implies(Role.EVALUATOR.name())
                .role(Role.EVALUATOR.name())
                .implies(Role.VIEWER.name())
                .build();
    }

    /** Swagger UI's "Authorize" takes an API key or token and sends it with every call it makes. */
    @Bean
    OpenAPI apiDocumentation() {
        return new OpenAPI()
                .info(new Info().title("evalfleet coordinator").description("Datasets, jobs, results and keys"))
                .components(new Components()
                        .addSecuritySchemes(
                                BEARER,
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("bearer")
                                        .description("An API key (ef_…) or the identity provider's JWT")))
                .addSecurityItem(new SecurityRequirement().addList(BEARER));
    }

    /** What a 403 says: who asked, with which role, for what, and what each role may do. */
    private static String refusal(HttpServletRequest request) {
        String who = SecurityContextHolder.getContext().getAuthentication() instanceof CallerAuthentication caller
                ? caller.getName() + " (" + caller.getPrincipal().role().label() + ")"
                : "this caller";
        return who + " may not " + request.getMethod() + " " + request.getRequestURI()
                + ": a viewer reads; an evaluator also starts jobs, cancels and retries its own and imports"
                + " datasets; an admin may do everything, API keys included";
    }

    @Bean
    SecurityFilterChain api(
            HttpSecurity http,
            ApiKeys keys,
            ObjectProvider<JwtDecoder> jwtDecoder,
            CoordinatorProperties properties,
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver errors)
            throws Exception {
        AuthenticationManager bearer = BearerAuthentication.manager(
                keys, jwtDecoder.getIfAvailable(), properties.access().jwt());
        AuthenticationEntryPoint unauthenticated =
                (request, response, e) -> errors.resolveException(request, response, null, e);
        AccessDeniedHandler denied = (request, response, e) ->
                errors.resolveException(request, response, null, new ForbiddenException(refusal(request)));
        String viewer = Role.VIEWER.name();
        String evaluator = Role.EVALUATOR.name();
        String admin = Role.ADMIN.name();
        http.csrf(AbstractHttpConfigurer::disable) // no cookies: a bearer token is never sent by the browser on its own
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .authenticationManagerResolver(request -> bearer)
                        .authenticationEntryPoint(unauthenticated)
                        .accessDeniedHandler(denied))
                .exceptionHandling(exceptions ->
                        exceptions.authenticationEntryPoint(unauthenticated).accessDeniedHandler(denied))
                .addFilterAfter(new RateLimitFilter(errors), BearerTokenAuthenticationFilter.class)
                .addFilterAfter(
                        new JsonBodyLimitFilter(
                                properties.access().maxJsonBody().toBytes(), errors),
                        RateLimitFilter.class)
                .authorizeHttpRequests(requests -> requests.requestMatchers(
                                "/actuator/health", "/actuator/health/**", "/error")
                        .permitAll()
                        .requestMatchers(GET, "/", "/index.html", "/css/**", "/js/**", "/webjars/**", "/favicon.ico")
                        .permitAll()
                        .requestMatchers(
                                GET,
                                "/api/sign-in",
                                "/swagger-ui.html",
                                "/swagger-ui/**",
                                "/v3/api-docs",
                                "/v3/api-docs/**")
                        .permitAll()
                        .requestMatchers("/api/keys", "/api/keys/**")
                        .hasRole(admin)
                        .requestMatchers(GET, "/api/**", "/actuator/**")
                        .hasRole(viewer)
                        .requestMatchers(
                                POST,
                                "/api/jobs",
                                "/api/jobs/from-samples",
                                "/api/jobs/*/cancel",
                                "/api/jobs/*/retry-failed",
                                "/api/datasets")
                        .hasRole(evaluator)
                        .anyRequest()
                        .hasRole(admin));
        return http.build();
    }
}
