package dev.evalfleet.coordinator.api;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Task ids hold a slash ({@code HumanEval/0}). Tomcat rejects an encoded slash in a path by default;
 * passing it through lets {@code /api/jobs/{id}/problems/HumanEval%2F0/tree} reach Spring MVC, which
 * matches {@code HumanEval%2F0} as one segment and decodes the path variable to {@code HumanEval/0}.
 */
@Configuration(proxyBeanMethods = false)
class EncodedSlashConfiguration {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> encodedSlashInTaskIds() {
        return factory ->
                factory.addConnectorCustomizers(connector -> connector.setEncodedSolidusHandling("passthrough"));
    }
}
