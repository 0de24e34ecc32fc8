package dev.evalfleet.coordinator.api;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * Task ids hold a slash ({@code HumanEval/0}). Tomcat rejects an encoded slash in a path by default;
 * passing it through lets {@code /api/jobs/{id}/problems/HumanEval%2F0/tree} reach Spring MVC, which
 * matches {@code HumanEval%2F0} as one segment and decodes the path variable to {@code HumanEval/0}.
 * Spring Security's firewall lets it through too: the slash encoded, and the percent sign that Tomcat's
 * passthrough leaves of it in the decoded path; it keeps refusing the rest (encoded dots, backslashes,
 * null bytes, double slashes).
 */
@Configuration(proxyBeanMethods = false)
class EncodedSlashConfiguration {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> encodedSlashInTaskIds() {
        return factory ->
                factory.addConnectorCustomizers(connector -> connector.setEncodedSolidusHandling("passthrough"));
    }

    @Bean
    WebSecurityCustomizer encodedSlashThroughTheFirewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowUrlEncodedSlash(true);
        firewall.setAllowUrlEncodedPercent(true);
        return web -> web.httpFirewall(firewall);
    }
}
