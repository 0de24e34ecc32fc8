package dev.evalfleet.coordinator.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.evalfleet.coordinator.job.Api;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The identity-provider option: the coordinator as an OAuth2 resource server that accepts JWTs signed
 * by the provider's key (here a key pair made by the test, its public half configured the way an
 * operator would), with the caller's role in the {@code roles} claim and its name in {@code sub}.
 */
class JwtResourceServerTest extends HostileClientTest {

    private static final KeyPair PROVIDER = keyPair();
    private static final KeyPair STRANGER = keyPair();
    private static final String ISSUER = "https://idp.example.org/realms/ml";

    @DynamicPropertySource
    static void identityProvider(DynamicPropertyRegistry registry) throws Exception {
        Path publicKey = Files.createTempFile("idp-public", ".pem");
        Files.writeString(
                publicKey,
                "-----BEGIN PUBLIC KEY-----\n"
                        + Base64.getMimeEncoder()
                                .encodeToString(PROVIDER.getPublic().getEncoded())
                        + "\n-----END PUBLIC KEY-----\n");
        registry.add("spring.security.oauth2.resourceserver.jwt.public-key-location", () -> "file:" + publicKey);
        registry.add("evalfleet.coordinator.access.oidc.issuer", () -> ISSUER);
        registry.add("evalfleet.coordinator.access.oidc.client-id", () -> "evalfleet-dashboard");
    }

    @Test
    void aTokenOfTheProviderActsWithItsRoleAndSubject() throws Exception {
        Api alice = admin.withToken(token(PROVIDER, "alice@example.org", List.of("evaluator"), 300));
        Api.Response me = alice.get("/api/me");
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.body().get("name").asString()).isEqualTo("alice@example.org");
        assertThat(me.body().get("role").asString()).isEqualTo("evaluator");
        assertThat(me.body().get("kind").asString()).isEqualTo("jwt");

        assertThat(alice.importSampleDataset())
                .as("an evaluator's token imports")
                .isNotBlank();
        Api.Response created = alice.post("/api/jobs", job("Sample/0"));
        assertThat(created.status()).isEqualTo(202);
        assertThat(alice.get(created.location()).body().get("createdBy").asString())
                .isEqualTo("alice@example.org");
        assertThat(alice.get("/api/keys").status()).isEqualTo(403);

        Api viewer = admin.withToken(token(PROVIDER, "victor", List.of("viewer"), 300));
        assertThat(viewer.post(created.location() + "/cancel", "").status()).isEqualTo(403);
        assertThat(admin.withToken(token(PROVIDER, "root", List.of("viewer", "admin"), 300))
                        .get("/api/keys")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void aForgedExpiredOrRolelessTokenIsRefused() throws Exception {
        assertThat(admin.withToken(token(STRANGER, "mallory", List.of("admin"), 300))
                        .get("/api/jobs")
                        .status())
                .isEqualTo(401);
        assertThat(admin.withToken(token(PROVIDER, "late", List.of("admin"), -60))
                        .get("/api/jobs")
                        .status())
                .isEqualTo(401);
        Api.Response roleless = admin.withToken(token(PROVIDER, "nobody", List.of("superuser"), 300))
                .get("/api/jobs");
        assertThat(roleless.status()).isEqualTo(401);
        assertThat(roleless.body().get("detail").asString()).contains("names no evalfleet role");
        assertThat(admin.get("/api/jobs").status())
                .as("API keys keep working beside tokens")
                .isEqualTo(200);
    }

    @Test
    void theDashboardLearnsWhereToSignInWithoutAKey() throws Exception {
        Api.Response options = admin.withToken(null).get("/api/sign-in");
        assertThat(options.status()).isEqualTo(200);
        assertThat(options.body().at("/identityProvider/issuer").asString()).isEqualTo(ISSUER);
        assertThat(options.body().at("/identityProvider/clientId").asString()).isEqualTo("evalfleet-dashboard");
        assertThat(options.body().at("/identityProvider/scope").asString()).isEqualTo("openid profile");
    }

    private static String token(KeyPair signer, String subject, List<String> roles, long validSeconds)
            throws Exception {

        Instant now = Instant.now();
        SignedJWT jwt = new SignedJWT(
                new JWSHeader(JWSAlgorithm.RS256),
                new JWTClaimsSet.Builder()
                        .issuer(ISSUER)
                        .subject(subject)
                        .claim("roles", roles)
                        .issueTime(Date.from(now.minusSeconds(120)))
                        .expirationTime(Date.from(now.plusSeconds(validSeconds)))
                        .build());
        jwt.sign(new RSASSASigner((RSAPrivateKey) signer.getPrivate()));
        return jwt.serialize();
    }

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
