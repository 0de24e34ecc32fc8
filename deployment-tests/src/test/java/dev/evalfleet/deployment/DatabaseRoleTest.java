package dev.evalfleet.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * postgres/coordinator-role.sh, which makes the coordinator's database role: the same script in compose and
 * Kubernetes, a role without power over the cluster that owns what Flyway migrates, and every variable it
 * requires given where it runs.
 */
class DatabaseRoleTest {

    static final String SCRIPT = "postgres/coordinator-role.sh";
    static final String MOUNTED = "/etc/evalfleet/postgres/coordinator-role.sh";
    static final String COMPOSE_SERVICE = "postgres-role";
    static final String KUBERNETES_JOB = "postgres-role";

    private final String script = Repository.read(SCRIPT);

    @Test
    void kubernetesRunsTheSameScriptAsCompose() {
        assertThat(Repository.read("k8s/trial-infra/postgres-role/coordinator-role.sh"))
                .isEqualTo(script);
    }

    @Test
    void roleMayLogInButNotActAsSuperuserNorMakeDatabasesOrRoles() {
        assertThat(script)
                .contains("ALTER ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS")
                .contains("ALTER DATABASE %I OWNER TO %I")
                .contains("ALTER SCHEMA public OWNER TO %I")
                // a role named like the superuser would be demoted or would be the superuser
                .contains("\"$POSTGRES_COORDINATOR_USER\" = \"$PGUSER\"");
    }

    @Test
    void valuesReachSqlOnlyAsQuotedPsqlVariables() {
        assertThat(script).contains("<<'SQL'");
        String sql = script.substring(script.indexOf("<<'SQL'"));
        assertThat(sql).doesNotContain("$POSTGRES_").doesNotContain("${");
        assertThat(Pattern.compile(":(role|password|database)\\b").matcher(sql).results())
                .as("unquoted psql variables")
                .isEmpty();
    }

    /** The variables the script refuses to run without. */
    static List<String> requiredVariables() {
        var matcher = Pattern.compile("for variable in ([A-Z_ ]+); do").matcher(Repository.read(SCRIPT));
        assertThat(matcher.find())
                .as(SCRIPT + " lists the variables it requires")
                .isTrue();
        List<String> variables = List.of(matcher.group(1).strip().split("\\s+"));
        assertThat(variables).contains("PGUSER", "PGPASSWORD", "POSTGRES_COORDINATOR_USER");
        return variables;
    }
}
