package dev.evalfleet.worker.scoring;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.unauthorized;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.evalfleet.contracts.ExecutionRequest;
import dev.evalfleet.contracts.TestSuite;
import dev.evalfleet.contracts.Verdict;
import dev.evalfleet.worker.WorkerProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.web.client.RestClient;

/** The scoring service answers only callers with its token: the client sends it on every call. */
class ScoringClientTests {

    private static final String TOKEN = "scoring-client-tests-token-8d2f6a1b";
    private static final ExecutionRequest REQUEST = new ExecutionRequest(
            "def f():\n    return 1\n", TestSuite.asserts("", List.of("assert f() == 1"), "f"), 5.0);

    private final WireMockServer scoringStandIn =
            new WireMockServer(wireMockConfig().dynamicPort());

    @BeforeEach
    void start() {
        scoringStandIn.start();
    }

    @AfterEach
    void stop() {
        scoringStandIn.stop();
    }

    private ScoringClient client(String token) {
        WorkerProperties properties = new Binder(new MapConfigurationPropertySource(Map.of(
                        "evalfleet.worker.scoring.url",
                        "http://127.0.0.1:" + scoringStandIn.port(),
                        "evalfleet.worker.scoring.token",
                        token,
                        "evalfleet.worker.retry.backoff",
                        "1ms")))
                .bindOrCreate("evalfleet.worker", WorkerProperties.class);
        return new ScoringClient(RestClient.builder(), properties, new SimpleMeterRegistry());
    }

    @Test
    void everyCallCarriesTheScoringTokenAsBearer() throws Exception {
        scoringStandIn.stubFor(post("/api/executions").willReturn(okJson("""
                {"verdict": "PASSED", "testsPassed": 1, "testsTotal": 1, "tests": [], "feedback": "",
                 "executionMillis": 3, "sandbox": "stand-in"}
                """)));
        scoringStandIn.stubFor(get("/actuator/info").willReturn(okJson("""
                {"sandbox": {"mode": "bubblewrap", "python": "3.11.2"}}
                """)));
        ScoringClient client = client(TOKEN);

        assertThat(client.execute(REQUEST).verdict()).isEqualTo(Verdict.PASSED);
        assertThat(client.sandbox().get().mode()).isEqualTo("bubblewrap");

        scoringStandIn.verify(postRequestedFor(urlEqualTo("/api/executions"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN)));
        scoringStandIn.verify(
                getRequestedFor(urlEqualTo("/actuator/info")).withHeader("Authorization", equalTo("Bearer " + TOKEN)));
    }

    @Test
    void refusedTokenFailsAtOnceSayingWhichSettingDiffers() {
        scoringStandIn.stubFor(post("/api/executions").willReturn(unauthorized()));

        assertThatThrownBy(() -> client("not-the-scoring-token-0000000000").execute(REQUEST))
                .isInstanceOf(ScoringException.class)
                .hasMessageContaining("EVALFLEET_SCORING_TOKEN")
                .hasMessageNotContaining("not-the-scoring-token");
        scoringStandIn.verify(1, postRequestedFor(urlEqualTo("/api/executions")));
    }
}
