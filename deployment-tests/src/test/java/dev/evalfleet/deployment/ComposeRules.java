package dev.evalfleet.deployment;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What docker-compose.yml must satisfy; each method returns the problems it finds. */
final class ComposeRules {

    private ComposeRules() {}

    static List<String> imagesArePinned(Compose compose, Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        compose.services()
                .forEach((name, service) -> Conventions.unpinned(Compose.interpolate(service.image(), env))
                        .ifPresent(problem -> problems.add(name + ": " + problem)));
        return problems;
    }

    static List<String> secretsAreNotLiterals(Compose compose) {
        List<String> problems = new ArrayList<>();
        compose.services()
                .forEach((name, service) -> service.env().forEach((variable, value) -> {
                    if (Conventions.isSecretName(variable) && !Compose.isVariableReference(value)) {
                        problems.add(
                                name + ": " + variable + " holds a literal; use ${VARIABLE} from .env or the shell");
                    }
                }));
        return problems;
    }

    /**
     * The admin key and the scoring token reach exactly the services that hold them, each from a variable
     * that must be set ({@code ${VARIABLE:?…}}, no default), and the scoring service and the workers from
     * the same one.
     */
    static List<String> accessSecretsAreRequiredVariablesOfTheirHolders(Compose compose) {
        List<String> problems = new ArrayList<>();
        for (AccessSecret secret : AccessSecret.values()) {
            Set<String> sources = new java.util.TreeSet<>();
            compose.services().forEach((name, service) -> {
                String value = service.env().get(secret.variable);
                boolean holder = secret.isHeldBy(name);
                if (value == null) {
                    if (holder) {
                        problems.add(name + ": no " + secret.variable);
                    }
                    return;
                }
                if (!holder) {
                    problems.add(name + ": is given " + secret.variable + ", which only " + secret.holderNames()
                            + " may hold");
                }
                Compose.requiredVariable(value)
                        .ifPresentOrElse(
                                sources::add,
                                () -> problems.add(name + ": " + secret.variable + " is " + value
                                        + "; use ${VARIABLE:?message} from .env or the shell, with no default"));
            });
            if (sources.size() > 1) {
                problems.add(secret.variable + " comes from different variables " + sources + "; "
                        + secret.holderNames() + " must share one");
            }
        }
        return problems;
    }

    /**
     * The services that connect to RabbitMQ (they set EVALFLEET_RABBIT_USER) each do so as a user of its own:
     * user and password from variables, the password's required, that neither another service nor the
     * broker's own admin (RABBITMQ_DEFAULT_USER/PASS) uses; the one-shot that makes the users (the service
     * given RABBITMQ_ADMIN_PASSWORD) makes each from the same variables, as RABBITMQ_<SERVICE>_USER and
     * _PASSWORD, and the service waits for it to complete.
     */
    static List<String> brokerUsersArePerService(Compose compose, Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        Set<String> adminVariables = new java.util.TreeSet<>();
        Set<String> adminUsers = new java.util.TreeSet<>();
        compose.services().values().forEach(service -> {
            for (String variable : List.of("RABBITMQ_DEFAULT_USER", "RABBITMQ_DEFAULT_PASS")) {
                Compose.referencedVariable(service.env().get(variable)).ifPresent(adminVariables::add);
            }
            if (service.env().containsKey("RABBITMQ_DEFAULT_USER")) {
                adminUsers.add(Compose.interpolate(service.env().get("RABBITMQ_DEFAULT_USER"), env));
            }
        });
        String maker = compose.services().entrySet().stream()
                .filter(entry -> entry.getValue().env().containsKey("RABBITMQ_ADMIN_PASSWORD"))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse(null);
        Map<String, String> serviceByVariable = new java.util.TreeMap<>();
        Map<String, String> serviceByUser = new java.util.TreeMap<>();
        compose.services().forEach((name, service) -> {
            if (!service.env().containsKey("EVALFLEET_RABBIT_USER")
                    && !service.env().containsKey("EVALFLEET_RABBIT_PASSWORD")) {
                return;
            }
            var user = Compose.referencedVariable(service.env().get("EVALFLEET_RABBIT_USER"));
            var password = Compose.requiredVariable(service.env().get("EVALFLEET_RABBIT_PASSWORD"));
            if (user.isEmpty()) {
                problems.add(name + ": EVALFLEET_RABBIT_USER is not from a variable");
            }
            if (password.isEmpty()) {
                problems.add(name + ": EVALFLEET_RABBIT_PASSWORD is not ${VARIABLE:?message} (set, no default)");
            }
            for (var variable : List.of(user, password)) {
                variable.ifPresent(v -> {
                    if (adminVariables.contains(v)) {
                        problems.add(name + ": connects with ${" + v + "}, the broker's own admin");
                    }
                    String other = serviceByVariable.putIfAbsent(v, name);
                    if (other != null) {
                        problems.add(name + ": shares ${" + v + "} with " + other + "; each service has its own");
                    }
                });
            }
            String userName = Compose.interpolate(service.env().get("EVALFLEET_RABBIT_USER"), env);
            if (adminUsers.contains(userName)) {
                problems.add(name + ": connects as " + userName + ", the broker's own admin");
            }
            String other = serviceByUser.putIfAbsent(userName, name);
            if (other != null) {
                problems.add(name + ": connects as " + userName + " like " + other);
            }
            if (maker == null) {
                problems.add(
                        name + ": no one-shot makes its broker user (no service is given RABBITMQ_ADMIN_PASSWORD)");
                return;
            }
            Map<String, String> made = compose.services().get(maker).env();
            String prefix = "RABBITMQ_" + name.toUpperCase(java.util.Locale.ROOT);
            if (user.isPresent() && !user.equals(Compose.referencedVariable(made.get(prefix + "_USER")))) {
                problems.add(maker + ": does not make " + name + "'s user as " + prefix + "_USER from ${" + user.get()
                        + "}");
            }
            if (password.isPresent() && !password.equals(Compose.referencedVariable(made.get(prefix + "_PASSWORD")))) {
                problems.add(maker + ": does not make " + name + "'s user with " + prefix + "_PASSWORD from ${"
                        + password.get() + "}");
            }
            var dependency =
                    service.dependsOn() == null ? null : service.dependsOn().get(maker);
            if (dependency == null || !"service_completed_successfully".equals(dependency.condition())) {
                problems.add(name + ": does not wait for " + maker + " to complete");
            }
        });
        return problems;
    }

    /** The variables that carry a database credential, whoever is given them. */
    static final List<String> DATABASE_CREDENTIALS = List.of(
            "EVALFLEET_DB_USER",
            "EVALFLEET_DB_PASSWORD",
            "POSTGRES_PASSWORD",
            "PGPASSWORD",
            "POSTGRES_COORDINATOR_PASSWORD");

    /**
     * The coordinator, the only database client, connects as a role of its own, not as the superuser the
     * PostgreSQL service is created with (POSTGRES_USER/PASSWORD): user from a variable, password from a required
     * one, neither the superuser's. A one-shot (the service given POSTGRES_COORDINATOR_USER) makes the role from
     * the same variables, connecting as the superuser (libpq's PGUSER/PGPASSWORD from the server's variables) to
     * the PostgreSQL service, for the database the coordinator's URL names; the coordinator waits for it to
     * complete. No other service holds a database credential.
     */
    static List<String> coordinatorConnectsToTheDatabaseAsARoleOfItsOwn(Compose compose, Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        String server = compose.services().entrySet().stream()
                .filter(entry -> entry.getValue().env().containsKey("POSTGRES_PASSWORD"))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse(null);
        Compose.Service coordinator = compose.services().get("coordinator");
        if (server == null || coordinator == null) {
            return List.of("no PostgreSQL service (none is given POSTGRES_PASSWORD) or no coordinator");
        }
        Map<String, String> serverEnv = compose.services().get(server).env();
        var superUser = Compose.referencedVariable(serverEnv.get("POSTGRES_USER"));
        var superPassword = Compose.referencedVariable(serverEnv.get("POSTGRES_PASSWORD"));
        // the image's superuser is postgres when POSTGRES_USER is not set
        String superUserName = serverEnv.containsKey("POSTGRES_USER")
                ? Compose.interpolate(serverEnv.get("POSTGRES_USER"), env)
                : "postgres";

        var user = Compose.referencedVariable(coordinator.env().get("EVALFLEET_DB_USER"));
        var password = Compose.requiredVariable(coordinator.env().get("EVALFLEET_DB_PASSWORD"));
        if (user.isEmpty()) {
            problems.add("coordinator: EVALFLEET_DB_USER is not from a variable");
        }
        if (password.isEmpty()) {
            problems.add("coordinator: EVALFLEET_DB_PASSWORD is not ${VARIABLE:?message} (set, no default)");
        }
        Set<String> superVariables = new java.util.TreeSet<>();
        superUser.ifPresent(superVariables::add);
        superPassword.ifPresent(superVariables::add);
        for (var variable : List.of(user, password)) {
            variable.filter(superVariables::contains)
                    .ifPresent(v -> problems.add("coordinator: connects with ${" + v + "}, the database's superuser"));
        }
        String userName = Compose.interpolate(coordinator.env().get("EVALFLEET_DB_USER"), env);
        if (superUserName.equals(userName)) {
            problems.add("coordinator: connects as " + userName + ", the database's superuser");
        }

        String maker = compose.services().entrySet().stream()
                .filter(entry -> entry.getValue().env().containsKey("POSTGRES_COORDINATOR_USER"))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse(null);
        if (maker == null) {
            problems.add("coordinator: no one-shot makes its database role (no service is given"
                    + " POSTGRES_COORDINATOR_USER)");
        } else {
            Compose.Service making = compose.services().get(maker);
            Map<String, String> made = making.env();
            if (!making.isOneShot()) {
                problems.add(maker + ": is not a one-shot (restart: \"no\")");
            }
            if (user.isPresent() && !user.equals(Compose.referencedVariable(made.get("POSTGRES_COORDINATOR_USER")))) {
                problems.add(maker + ": does not make the coordinator's role as POSTGRES_COORDINATOR_USER from ${"
                        + user.get() + "}");
            }
            if (password.isPresent()
                    && !password.equals(Compose.referencedVariable(made.get("POSTGRES_COORDINATOR_PASSWORD")))) {
                problems.add(maker + ": does not make the coordinator's role with POSTGRES_COORDINATOR_PASSWORD from ${"
                        + password.get() + "}");
            }
            if (!superUser.equals(Compose.referencedVariable(made.get("PGUSER")))
                    || !superPassword.equals(Compose.requiredVariable(made.get("PGPASSWORD")))) {
                problems.add(maker + ": does not connect as the superuser (PGUSER, PGPASSWORD from " + server
                        + "'s POSTGRES_USER, POSTGRES_PASSWORD)");
            }
            if (!server.equals(Compose.interpolate(made.get("PGHOST"), env))) {
                problems.add(maker + ": PGHOST is not " + server);
            }
            String database = Compose.interpolate(made.get("POSTGRES_DB"), env);
            String url = Compose.interpolate(coordinator.env().get("EVALFLEET_DB_URL"), env);
            if (database == null || url == null || !url.endsWith("/" + database)) {
                problems.add(
                        maker + ": gives the role database " + database + ", but the coordinator connects to " + url);
            }
            var waits = making.dependsOn() == null ? null : making.dependsOn().get(server);
            if (waits == null || !"service_healthy".equals(waits.condition())) {
                problems.add(maker + ": does not wait for " + server + " to be healthy");
            }
            var dependency = coordinator.dependsOn() == null
                    ? null
                    : coordinator.dependsOn().get(maker);
            if (dependency == null || !"service_completed_successfully".equals(dependency.condition())) {
                problems.add("coordinator: does not wait for " + maker + " to complete");
            }
        }

        Set<String> databaseVariables = new java.util.TreeSet<>(superVariables);
        user.ifPresent(databaseVariables::add);
        password.ifPresent(databaseVariables::add);
        compose.services().forEach((name, service) -> {
            if (name.equals(server) || name.equals(maker) || name.equals("coordinator")) {
                return;
            }
            service.env().forEach((variable, value) -> {
                var referenced = Compose.referencedVariable(value);
                if (DATABASE_CREDENTIALS.contains(variable)
                        || referenced.filter(databaseVariables::contains).isPresent()) {
                    problems.add(name + ": holds a database credential (" + variable
                            + "); only the coordinator connects to PostgreSQL");
                }
            });
        });
        return problems;
    }

    /** The scrape jobs of services that answer only with credentials, and the secret each is scraped with. */
    static final Map<String, AccessSecret> SCRAPE_CREDENTIALS =
            Map.of("coordinator", AccessSecret.METRICS_KEY, "scoring", AccessSecret.SCORING_TOKEN);

    /**
     * Each scrape job of an authenticated service sends a bearer token from a file (never inline), in a tmpfs
     * of the prometheus service, which its entrypoint writes from the secret's variable, itself required
     * from .env or the shell.
     */
    @SuppressWarnings("unchecked")
    static List<String> scrapeCredentialsComeFromRequiredVariables(Compose compose, Map<String, Object> prometheus) {
        List<String> problems = new ArrayList<>();
        Compose.Service service = compose.services().get("prometheus");
        if (service == null) {
            return List.of("no prometheus service");
        }
        String entrypoint = service.entrypoint() == null ? "" : String.join(" ", service.entrypoint());
        List<String> tmpfs = service.tmpfs() == null
                ? List.of()
                : service.tmpfs().stream().map(t -> t.split(":")[0]).toList();
        for (Map<String, Object> job : (List<Map<String, Object>>) prometheus.get("scrape_configs")) {
            AccessSecret secret = SCRAPE_CREDENTIALS.get(String.valueOf(job.get("job_name")));
            if (secret == null) {
                continue;
            }
            String where = "job " + job.get("job_name") + ": ";
            if (!(job.get("authorization") instanceof Map<?, ?> authorization)
                    || !"Bearer".equals(authorization.get("type"))) {
                problems.add(where + "sends no authorization of type Bearer");
                continue;
            }
            if (authorization.containsKey("credentials")) {
                problems.add(where + "holds its credentials inline; use credentials_file");
            }
            String file = String.valueOf(authorization.get("credentials_file"));
            if (tmpfs.stream().noneMatch(dir -> file.startsWith(dir + "/"))) {
                problems.add(where + "reads " + file + ", which is in no tmpfs of prometheus");
            }
            var writes = java.util.regex.Pattern.compile("\\$\\$\\{?" + secret.variable + "}?\"?\\s*>\\s*"
                    + java.util.regex.Pattern.quote(file) + "(\\s|$)");
            if (!writes.matcher(entrypoint).find()) {
                problems.add(where + "prometheus's entrypoint does not write " + file + " from $" + secret.variable);
            }
            if (Compose.requiredVariable(service.env().get(secret.variable)).isEmpty()) {
                problems.add(where + "prometheus's " + secret.variable + " is not ${VARIABLE:?message}");
            }
        }
        return problems;
    }

    static List<String> longRunningServicesAreHealthcheckedAndLimited(Compose compose) {
        List<String> problems = new ArrayList<>();
        compose.services().forEach((name, service) -> {
            if (!service.isOneShot()
                    && (service.healthcheck() == null || service.healthcheck().test() == null)) {
                problems.add(name + ": no healthcheck");
            }
            if (service.deploy() == null
                    || service.deploy().resources() == null
                    || service.deploy().resources().limits() == null
                    || service.deploy().resources().limits().memory() == null) {
                problems.add(name + ": no memory limit (deploy.resources.limits.memory)");
            }
            if (service.restart() == null) {
                problems.add(name + ": no restart policy");
            }
        });
        return problems;
    }

    static List<String> dependenciesWaitForHealth(Compose compose) {
        List<String> problems = new ArrayList<>();
        compose.services().forEach((name, service) -> {
            if (service.dependsOn() == null) {
                return;
            }
            service.dependsOn().forEach((target, dependency) -> {
                Compose.Service other = compose.services().get(target);
                if (other == null) {
                    problems.add(name + ": depends on unknown service " + target);
                    return;
                }
                String condition = dependency.condition();
                if ("service_healthy".equals(condition)) {
                    if (other.healthcheck() == null) {
                        problems.add(name + ": waits for " + target + " to be healthy, which has no healthcheck");
                    }
                } else if ("service_completed_successfully".equals(condition)) {
                    if (!other.isOneShot()) {
                        problems.add(name + ": waits for " + target + " to complete, which restarts");
                    }
                } else {
                    problems.add(name + ": depends on " + target + " with condition " + condition
                            + "; use service_healthy or service_completed_successfully");
                }
                if (other.profiles() != null
                        && (service.profiles() == null || !service.profiles().containsAll(other.profiles()))) {
                    problems.add(name + ": depends on " + target + ", which only runs in profiles " + other.profiles());
                }
            });
        });
        return problems;
    }

    /** Every variable set on an evalfleet service is one its application.yml reads. */
    static List<String> variablesAreRead(Compose compose) {
        List<String> problems = new ArrayList<>();
        compose.services()
                .forEach((name, service) -> EvalfleetService.named(name).ifPresent(evalfleet -> {
                    ServiceConfiguration configuration = evalfleet.configuration();
                    service.env().keySet().stream()
                            .filter(variable -> !configuration.reads(variable))
                            .forEach(variable -> problems.add(name + ": sets " + variable + ", which "
                                    + evalfleet.module + "/src/main/resources/application.yml does not read"));
                }));
        return problems;
    }

    /** Hosts in URLs and *_HOST variables are services this one shares a network with. */
    static List<String> hostsAreReachableServices(Compose compose, Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        compose.services()
                .forEach((name, service) -> service.env().forEach((variable, raw) -> {
                    String value = Compose.interpolate(raw, env);
                    Conventions.hostIn(variable, value).ifPresent(host -> {
                        Compose.Service target = compose.services().get(host);
                        if (target == null) {
                            problems.add(
                                    name + ": " + variable + " points at " + host + ", which is no compose service");
                        } else if (!sharesNetwork(service, target)) {
                            problems.add(name + ": " + variable + " points at " + host + ", which is on no network of "
                                    + name);
                        }
                    });
                }));
        return problems;
    }

    static boolean sharesNetwork(Compose.Service one, Compose.Service other) {
        Set<String> networks = new HashSet<>(networksOf(one));
        networks.retainAll(networksOf(other));
        return !networks.isEmpty();
    }

    static List<String> networksOf(Compose.Service service) {
        return service.networks() == null ? List.of("default") : service.networks();
    }

    /** Nothing stops `--scale worker=N`: no container name, no fixed host port. */
    static List<String> scalable(Compose compose, String serviceName) {
        List<String> problems = new ArrayList<>();
        Compose.Service service = compose.services().get(serviceName);
        if (service == null) {
            return List.of("no service " + serviceName);
        }
        if (service.containerName() != null) {
            problems.add(serviceName + ": container_name prevents scaling");
        }
        if (service.ports() != null && !service.ports().isEmpty()) {
            problems.add(serviceName + ": host ports " + service.ports() + " prevent scaling");
        }
        compose.services().forEach((name, other) -> {
            if (other.containerName() != null) {
                problems.add(name + ": container_name; let compose name containers");
            }
        });
        return problems;
    }

    static List<String> declaredNetworksAndVolumes(Compose compose) {
        List<String> problems = new ArrayList<>();
        compose.services().forEach((name, service) -> {
            for (String network : networksOf(service)) {
                if (!network.equals("default")
                        && (compose.networks() == null || !compose.networks().containsKey(network))) {
                    problems.add(name + ": network " + network + " is not declared");
                }
            }
            if (service.volumes() != null) {
                for (String volume : service.volumes()) {
                    String source = volume.substring(0, volume.indexOf(':'));
                    if (source.startsWith(".") || source.startsWith("/")) {
                        if (!java.nio.file.Files.exists(Repository.path(source))) {
                            problems.add(name + ": mounts " + source + ", which does not exist");
                        }
                    } else if (compose.volumes() == null || !compose.volumes().containsKey(source)) {
                        problems.add(name + ": volume " + source + " is not declared");
                    }
                }
            }
        });
        return problems;
    }
}
