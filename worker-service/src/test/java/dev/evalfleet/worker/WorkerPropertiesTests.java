package dev.evalfleet.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

class WorkerPropertiesTests {

    @Test
    void endpointsBindFromEnvironmentVariables() {
        StandardEnvironment environment = new StandardEnvironment();
        // Named like the real one: Boot maps EVALFLEET_WORKER_ENDPOINTS_0_NAME only for that source.
        environment
                .getPropertySources()
                .replace(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        new SystemEnvironmentPropertySource(
                                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                                Map.of(
                                        "EVALFLEET_WORKER_ENDPOINTS_0_NAME", "vllm",
                                        "EVALFLEET_WORKER_ENDPOINTS_0_PROVIDER", "openai",
                                        "EVALFLEET_WORKER_ENDPOINTS_0_BASE_URL", "http://gpu-box:8000/v1",
                                        "EVALFLEET_WORKER_ENDPOINTS_0_MAX_CONCURRENCY", "8",
                                        "EVALFLEET_WORKER_ENDPOINTS_0_API_KEY", "secret",
                                        "EVALFLEET_WORKER_ENDPOINTS_0_REQUEST_TIMEOUT", "90s",
                                        "EVALFLEET_WORKER_ENDPOINTS_1_NAME", "reference",
                                        "EVALFLEET_WORKER_ENDPOINTS_1_PROVIDER", "reference")));

        WorkerProperties properties = new Binder(ConfigurationPropertySources.get(environment))
                .bindOrCreate("evalfleet.worker", WorkerProperties.class);

        assertThat(properties.endpoints()).hasSize(2);
        WorkerProperties.Endpoint vllm = properties.endpoints().get(0);
        assertThat(vllm.provider()).isEqualTo(WorkerProperties.Provider.OPENAI);
        assertThat(vllm.baseUrl()).isEqualTo("http://gpu-box:8000/v1");
        assertThat(vllm.maxConcurrency()).isEqualTo(8);
        assertThat(vllm.apiKey()).isEqualTo("secret");
        assertThat(vllm.requestTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(properties.endpoints().get(1).concurrency()).isEqualTo(1);
        assertThat(properties.tasks().concurrency()).isEqualTo(64);
        assertThat(properties.topology().taskQueue()).isEqualTo("evalfleet.tasks");
    }

    @Test
    void faultToleranceDefaultsAreTheDocumentedOnes() {
        WorkerProperties properties = new Binder(ConfigurationPropertySources.get(new StandardEnvironment()))
                .bindOrCreate("evalfleet.worker", WorkerProperties.class);

        assertThat(properties.tasks().deadline()).isEqualTo(Duration.ofMinutes(25));
        assertThat(properties.tasks().shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(properties.retry().taskBudget()).isEqualTo(10);
        assertThat(properties.retry().maxBackoff()).isEqualTo(Duration.ofSeconds(30));
        assertThat(properties.retry().jitter()).isEqualTo(0.5);
        assertThat(properties.circuitBreaker().failureRateThreshold()).isEqualTo(50f);
        assertThat(properties.circuitBreaker().waitInOpenState()).isEqualTo(Duration.ofSeconds(30));
        assertThat(properties.cancellation().retention()).isEqualTo(Duration.ofHours(24));
        assertThat(properties.topology().controlExchange()).isEqualTo("evalfleet.control");
    }
}
