package dev.evalfleet.coordinator.access;

import dev.evalfleet.coordinator.job.Api;
import java.util.UUID;

/** API keys made by the tests' admin for the hostile-client suite: one per role and quota a test needs. */
final class Keys {

    private Keys() {}

    /** A client holding a new key of {@code role}, with the quotas JSON given ({@code null}: the defaults). */
    static Api holding(Api admin, String role, String quotas) throws Exception {
        String name = role + "-" + UUID.randomUUID();
        Api.Response created =
                admin.post("/api/keys", """
                {"name": "%s", "role": "%s"%s}""".formatted(name, role, quotas == null ? "" : ", \"quotas\": " + quotas));
        if (created.status() != 201) {
            throw new IllegalStateException("key creation failed: " + created);
        }
        return admin.withToken(created.body().get("key").asString());
    }

    static Api holding(Api admin, String role) throws Exception {
        return holding(admin, role, null);
    }

    /** The name the key of {@code client} was created with. */
    static String nameOf(Api client) throws Exception {
        return client.get("/api/me").body().get("name").asString();
    }
}
