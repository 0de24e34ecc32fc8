package dev.evalfleet.scoring.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.evalfleet.scoring.ScoringProperties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** Fail closed: without a token the service does not start, and says which variable to set. */
class ScoringTokenRequiredTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ScoringProperties.class)
    static class Properties {}

    private final ApplicationContextRunner context =
            new ApplicationContextRunner().withUserConfiguration(Properties.class);

    @Test
    void serviceWithoutTokenDoesNotStart() {
        context.run(started -> assertThat(started)
                .getFailure()
                .rootCause()
                .hasMessageContaining("evalfleet.scoring.access.token")
                .hasMessageContaining("set EVALFLEET_SCORING_TOKEN"));
    }

    @Test
    void serviceWithBlankTokenDoesNotStart() {
        context.withPropertyValues("evalfleet.scoring.access.token=  ")
                .run(started -> assertThat(started).hasFailed());
    }

    @Test
    void tokenStaysOutOfTheSettingsAsText() {
        context.withPropertyValues("evalfleet.scoring.access.token=a-token-of-more-than-32-characters-0001")
                .run(started -> assertThat(
                                started.getBean(ScoringProperties.class).toString())
                        .doesNotContain("a-token-of-more"));
    }
}
