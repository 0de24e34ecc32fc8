package dev.evalfleet.deployment;

import dev.evalfleet.deployment.Kubernetes.Resource;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/** What the Kubernetes manifests must satisfy; each method returns the problems it finds. */
final class KubernetesRules {

    private KubernetesRules() {}

    /** A Deployment, StatefulSet or Job, by name, with its pod template. */
    record Workload(String kind, String name, PodTemplateSpec template, Integer replicas) {

        PodSpec pod() {
            return template.getSpec();
        }

        /** Whether it runs until done (a Job) rather than for good, so nothing probes it or routes to it. */
        boolean runsToCompletion() {
            return kind.equals("Job");
        }
    }

    static List<Workload> workloads(List<Resource> resources) {
        List<Workload> workloads = new ArrayList<>();
        for (Resource resource : resources) {
            if (resource.is(Deployment.class)) {
                Deployment deployment = resource.as(Deployment.class);
                workloads.add(new Workload(
                        "Deployment",
                        deployment.getMetadata().getName(),
                        deployment.getSpec().getTemplate(),
                        deployment.getSpec().getReplicas()));
            } else if (resource.is(StatefulSet.class)) {
                StatefulSet set = resource.as(StatefulSet.class);
                workloads.add(new Workload(
                        "StatefulSet",
                        set.getMetadata().getName(),
                        set.getSpec().getTemplate(),
                        set.getSpec().getReplicas()));
            } else if (resource.is(Job.class)) {
                Job job = resource.as(Job.class);
                workloads.add(new Workload(
                        "Job", job.getMetadata().getName(), job.getSpec().getTemplate(), null));
            }
        }
        return workloads;
    }

    static List<String> containersAreHardened(List<Workload> workloads) {
        List<String> problems = new ArrayList<>();
        for (Workload workload : workloads) {
            PodSpec pod = workload.pod();
            boolean podNonRoot = pod.getSecurityContext() != null
                    && Boolean.TRUE.equals(pod.getSecurityContext().getRunAsNonRoot());
            for (Container container : pod.getContainers()) {
                String where = workload.name() + "/" + container.getName() + ": ";
                Conventions.unpinned(container.getImage()).ifPresent(problem -> problems.add(where + problem));
                if (container.getLivenessProbe() == null && !workload.runsToCompletion()) {
                    problems.add(where + "no liveness probe");
                }
                if (container.getReadinessProbe() == null && !workload.runsToCompletion()) {
                    problems.add(where + "no readiness probe");
                }
                ResourceRequirements resources = container.getResources();
                for (String resource : List.of("cpu", "memory")) {
                    if (resources == null
                            || resources.getLimits() == null
                            || !resources.getLimits().containsKey(resource)) {
                        problems.add(where + "no " + resource + " limit");
                    }
                    if (resources == null
                            || resources.getRequests() == null
                            || !resources.getRequests().containsKey(resource)) {
                        problems.add(where + "no " + resource + " request");
                    }
                }
                SecurityContext security = container.getSecurityContext();
                boolean nonRoot = podNonRoot || (security != null && Boolean.TRUE.equals(security.getRunAsNonRoot()));
                if (!nonRoot) {
                    problems.add(where + "runAsNonRoot is not set");
                }
                if (security == null || !Boolean.FALSE.equals(security.getAllowPrivilegeEscalation())) {
                    problems.add(where + "allowPrivilegeEscalation is not false");
                }
                if (security == null
                        || security.getCapabilities() == null
                        || security.getCapabilities().getDrop() == null
                        || !security.getCapabilities().getDrop().contains("ALL")) {
                    problems.add(where + "capabilities do not drop ALL");
                }
                if (security != null
                        && security.getCapabilities() != null
                        && security.getCapabilities().getAdd() != null
                        && !security.getCapabilities().getAdd().isEmpty()) {
                    problems.add(where + "adds capabilities "
                            + security.getCapabilities().getAdd());
                }
                if (Boolean.TRUE.equals(security == null ? null : security.getPrivileged())) {
                    problems.add(where + "is privileged");
                }
            }
        }
        return problems;
    }

    /** evalfleet's own services: actuator probes on their port, read-only root, /tmp an emptyDir. */
    static List<String> servicesFollowSpringConventions(List<Workload> workloads) {
        List<String> problems = new ArrayList<>();
        for (Workload workload : workloads) {
            var service = EvalfleetService.named(workload.name());
            if (service.isEmpty()) {
                continue;
            }
            int port = service.get().configuration().serverPort();
            for (Container container : workload.pod().getContainers()) {
                String where = workload.name() + "/" + container.getName() + ": ";
                Map<String, Integer> ports = new LinkedHashMap<>();
                for (ContainerPort containerPort :
                        container.getPorts() == null ? List.<ContainerPort>of() : container.getPorts()) {
                    ports.put(containerPort.getName(), containerPort.getContainerPort());
                }
                if (!ports.containsValue(port)) {
                    problems.add(where + "does not expose the service's port " + port);
                }
                checkProbe(
                        problems,
                        where + "liveness ",
                        container.getLivenessProbe(),
                        "/actuator/health/liveness",
                        port,
                        ports);
                checkProbe(
                        problems,
                        where + "readiness ",
                        container.getReadinessProbe(),
                        "/actuator/health/readiness",
                        port,
                        ports);
                SecurityContext security = container.getSecurityContext();
                if (security == null || !Boolean.TRUE.equals(security.getReadOnlyRootFilesystem())) {
                    problems.add(where + "root filesystem is not read-only");
                }
                boolean tmpIsEmptyDir = container.getVolumeMounts() != null
                        && container.getVolumeMounts().stream()
                                .filter(mount -> "/tmp".equals(mount.getMountPath()))
                                .anyMatch(mount -> workload.pod().getVolumes().stream()
                                        .anyMatch(volume -> volume.getName().equals(mount.getName())
                                                && volume.getEmptyDir() != null));
                if (!tmpIsEmptyDir) {
                    problems.add(where + "/tmp is not an emptyDir");
                }
            }
        }
        return problems;
    }

    private static void checkProbe(
            List<String> problems, String where, Probe probe, String path, int port, Map<String, Integer> ports) {
        if (probe == null || probe.getHttpGet() == null) {
            problems.add(where + "probe is not an HTTP GET of " + path);
            return;
        }
        if (!path.equals(probe.getHttpGet().getPath())) {
            problems.add(where + "probe asks " + probe.getHttpGet().getPath() + ", not " + path);
        }
        var probePort = probe.getHttpGet().getPort();
        Integer number = probePort.getIntVal() != null ? probePort.getIntVal() : ports.get(probePort.getStrVal());
        if (!Objects.equals(number, port)) {
            problems.add(where + "probe port " + probePort + " is not " + port);
        }
    }

    /** Credentials come from Secrets: no literal value for a secret-like name, none in ConfigMaps. */
    static List<String> secretsComeFromSecrets(List<Resource> resources) {
        List<String> problems = new ArrayList<>();
        for (Workload workload : workloads(resources)) {
            for (Container container : workload.pod().getContainers()) {
                for (EnvVar env : container.getEnv() == null ? List.<EnvVar>of() : container.getEnv()) {
                    if (Conventions.isSecretName(env.getName())
                            && (env.getValueFrom() == null || env.getValueFrom().getSecretKeyRef() == null)) {
                        problems.add(workload.name() + "/" + container.getName() + ": " + env.getName()
                                + " is not from a secretKeyRef");
                    }
                }
            }
        }
        for (Resource resource : resources) {
            if (resource.is(ConfigMap.class) && resource.as(ConfigMap.class).getData() != null) {
                resource.as(ConfigMap.class).getData().keySet().stream()
                        .filter(Conventions::isSecretName)
                        .forEach(key ->
                                problems.add("ConfigMap " + resource.name() + ": " + key + " belongs in a Secret"));
            }
        }
        return problems;
    }

    /**
     * The admin key and the scoring token reach exactly the containers that hold them, each from a
     * secretKeyRef, and the scoring service and the workers from the same Secret key.
     */
    static List<String> accessSecretsComeFromTheSecretToTheirHolders(List<Resource> resources) {
        List<String> problems = new ArrayList<>();
        for (AccessSecret secret : AccessSecret.values()) {
            Set<String> sources = new java.util.TreeSet<>();
            for (Workload workload : workloads(resources)) {
                boolean holder = secret.isHeldBy(workload.name());
                for (Container container : workload.pod().getContainers()) {
                    String where = workload.name() + "/" + container.getName() + ": ";
                    EnvVar env = (container.getEnv() == null ? List.<EnvVar>of() : container.getEnv())
                            .stream()
                                    .filter(variable -> secret.variable.equals(variable.getName()))
                                    .findFirst()
                                    .orElse(null);
                    if (env == null) {
                        if (holder) {
                            problems.add(where + "no " + secret.variable);
                        }
                        continue;
                    }
                    if (!holder) {
                        problems.add(where + "is given " + secret.variable + ", which only " + secret.holderNames()
                                + " may hold");
                    }
                    if (env.getValueFrom() == null || env.getValueFrom().getSecretKeyRef() == null) {
                        problems.add(where + secret.variable + " is not from a secretKeyRef");
                    } else {
                        var ref = env.getValueFrom().getSecretKeyRef();
                        sources.add(ref.getName() + "/" + ref.getKey());
                    }
                }
            }
            if (sources.size() > 1) {
                problems.add(secret.variable + " comes from different Secret keys " + sources + "; "
                        + secret.holderNames() + " must share one");
            }
        }
        return problems;
    }

    /**
     * The services that connect to RabbitMQ (EVALFLEET_RABBIT_USER) each do so as a user of its own: user and
     * password from Secret keys that neither another service, nor KEDA, nor the broker's own admin
     * (RABBITMQ_DEFAULT_USER/PASS) reads, holding user names that differ. Where a Job makes the users (its
     * container is given RABBITMQ_ADMIN_PASSWORD), it makes each from the same keys, as
     * RABBITMQ_<SERVICE>_USER and _PASSWORD, and KEDA's connection URI names the user it makes as
     * RABBITMQ_KEDA_USER.
     */
    static List<String> brokerUsersArePerService(List<Resource> resources, Map<String, Map<String, String>> secrets) {
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, String>> refsByWorkload = secretRefsByWorkload(resources);
        Set<String> adminRefs = new java.util.TreeSet<>();
        refsByWorkload
                .values()
                .forEach(refs -> List.of("RABBITMQ_DEFAULT_USER", "RABBITMQ_DEFAULT_PASS")
                        .forEach(variable -> {
                            if (refs.get(variable) != null) {
                                adminRefs.add(refs.get(variable));
                            }
                        }));
        var maker = refsByWorkload.entrySet().stream()
                .filter(entry -> entry.getValue().containsKey("RABBITMQ_ADMIN_PASSWORD"))
                .findFirst()
                .orElse(null);
        Map<String, String> workloadByRef = new java.util.TreeMap<>();
        Map<String, String> workloadByUser = new java.util.TreeMap<>();
        refsByWorkload.values().forEach(refs -> {
            String admin = valueOf(refs.get("RABBITMQ_DEFAULT_USER"), secrets);
            if (admin != null) {
                workloadByUser.put(admin, "the broker's own admin");
            }
        });
        refsByWorkload.forEach((name, refs) -> {
            if (!refs.containsKey("EVALFLEET_RABBIT_USER") && !refs.containsKey("EVALFLEET_RABBIT_PASSWORD")) {
                return;
            }
            for (String variable : List.of("EVALFLEET_RABBIT_USER", "EVALFLEET_RABBIT_PASSWORD")) {
                String ref = refs.get(variable);
                if (ref == null) {
                    problems.add(name + ": " + variable + " is not from a secretKeyRef");
                    continue;
                }
                if (adminRefs.contains(ref)) {
                    problems.add(name + ": " + variable + " reads " + ref + ", the broker's own admin");
                }
                String other = workloadByRef.putIfAbsent(ref, name);
                if (other != null) {
                    problems.add(
                            name + ": " + variable + " reads " + ref + " like " + other + "; each service has its own");
                }
                if (maker != null) {
                    String made = "RABBITMQ_" + name.toUpperCase(java.util.Locale.ROOT)
                            + variable.substring(variable.lastIndexOf('_'));
                    if (!ref.equals(maker.getValue().get(made))) {
                        problems.add(
                                maker.getKey() + ": does not make " + name + "'s user with " + made + " from " + ref);
                    }
                }
            }
            String user = valueOf(refs.get("EVALFLEET_RABBIT_USER"), secrets);
            if (user != null) {
                String other = workloadByUser.putIfAbsent(user, name);
                if (other != null) {
                    problems.add(name + ": connects as " + user + " like " + other);
                }
            }
        });
        for (Resource resource : resources) {
            if (!resource.is(Keda.TriggerAuthentication.class)) {
                continue;
            }
            for (Keda.SecretTargetRef ref :
                    resource.as(Keda.TriggerAuthentication.class).spec().secretTargetRef()) {
                String uri = valueOf(ref.name() + "/" + ref.key(), secrets);
                if (!"host".equals(ref.parameter()) || uri == null || !uri.contains("://")) {
                    continue;
                }
                String userInfo = java.net.URI.create(uri).getRawUserInfo();
                String user = userInfo == null ? "" : userInfo.split(":")[0];
                String where = "TriggerAuthentication " + resource.name() + ": ";
                String other = workloadByUser.get(user);
                if (other != null) {
                    problems.add(where + "connects as " + user + " like " + other);
                }
                if (maker != null) {
                    String kedaUser = valueOf(maker.getValue().get("RABBITMQ_KEDA_USER"), secrets);
                    if (!user.equals(kedaUser)) {
                        problems.add(where + "connects as " + user + ", not as the user " + maker.getKey()
                                + " makes as RABBITMQ_KEDA_USER");
                    }
                }
            }
        }
        return problems;
    }

    /**
     * The coordinator, the only database client, connects as a role of its own: EVALFLEET_DB_USER and _PASSWORD
     * from Secret keys that the PostgreSQL server's superuser (POSTGRES_USER/PASSWORD) is not read from, naming
     * another user. Where the manifests run PostgreSQL themselves, a Job (its container is given
     * POSTGRES_COORDINATOR_USER) makes the role from the same keys, connecting as the superuser (libpq's
     * PGUSER/PGPASSWORD from the server's keys), for the database the coordinator's URL names. No other
     * workload is given a database credential or reads one of these keys.
     */
    static List<String> coordinatorConnectsToTheDatabaseAsARoleOfItsOwn(
            List<Resource> resources, Map<String, Map<String, String>> secrets) {
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, String>> refsByWorkload = secretRefsByWorkload(resources);
        Map<String, String> coordinator = refsByWorkload.get("coordinator");
        if (coordinator == null) {
            return List.of("no coordinator");
        }
        String server = refsByWorkload.entrySet().stream()
                .filter(entry -> entry.getValue().containsKey("POSTGRES_PASSWORD"))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse(null);
        Map<String, String> serverRefs = server == null ? Map.of() : refsByWorkload.get(server);
        Set<String> superRefs = new java.util.TreeSet<>();
        for (String variable : List.of("POSTGRES_USER", "POSTGRES_PASSWORD")) {
            if (serverRefs.get(variable) != null) {
                superRefs.add(serverRefs.get(variable));
            }
        }
        Set<String> databaseRefs = new java.util.TreeSet<>(superRefs);
        for (String variable : List.of("EVALFLEET_DB_USER", "EVALFLEET_DB_PASSWORD")) {
            String ref = coordinator.get(variable);
            if (ref == null) {
                problems.add("coordinator: " + variable + " is not from a secretKeyRef");
                continue;
            }
            databaseRefs.add(ref);
            if (superRefs.contains(ref)) {
                problems.add("coordinator: " + variable + " reads " + ref + ", the database's superuser");
            }
        }
        String user = valueOf(coordinator.get("EVALFLEET_DB_USER"), secrets);
        String superUser = valueOf(serverRefs.get("POSTGRES_USER"), secrets);
        if (user != null && user.equals(superUser)) {
            problems.add("coordinator: connects as " + user + " like the database's superuser");
        }

        var maker = refsByWorkload.entrySet().stream()
                .filter(entry -> entry.getValue().containsKey("POSTGRES_COORDINATOR_USER"))
                .findFirst()
                .orElse(null);
        if (server != null && maker == null) {
            problems.add(server + ": no Job makes the coordinator's role in it (none is given"
                    + " POSTGRES_COORDINATOR_USER)");
        }
        if (maker != null) {
            Map<String, String> made = maker.getValue();
            Map<String, String> expected = new LinkedHashMap<>();
            expected.put("POSTGRES_COORDINATOR_USER", coordinator.get("EVALFLEET_DB_USER"));
            expected.put("POSTGRES_COORDINATOR_PASSWORD", coordinator.get("EVALFLEET_DB_PASSWORD"));
            expected.put("PGUSER", serverRefs.get("POSTGRES_USER"));
            expected.put("PGPASSWORD", serverRefs.get("POSTGRES_PASSWORD"));
            expected.forEach((variable, ref) -> {
                if (ref != null && !ref.equals(made.get(variable))) {
                    problems.add(maker.getKey() + ": " + variable + " does not read " + ref);
                }
            });
            workloads(resources).stream()
                    .filter(workload -> workload.name().equals(maker.getKey()))
                    .forEach(workload -> {
                        if (!workload.runsToCompletion()) {
                            problems.add(maker.getKey() + ": is a " + workload.kind() + ", not a Job");
                        }
                        String database = workload.pod().getContainers().stream()
                                .map(container ->
                                        environmentOf(container, resources).get("POSTGRES_DB"))
                                .filter(Objects::nonNull)
                                .findFirst()
                                .orElse(null);
                        String url = coordinatorDatabaseUrl(resources);
                        if (database == null || url == null || !url.endsWith("/" + database)) {
                            problems.add(maker.getKey() + ": gives the role database " + database
                                    + ", but the coordinator connects to " + url);
                        }
                    });
        }

        refsByWorkload.forEach((name, refs) -> {
            if (name.equals("coordinator") || name.equals(server) || (maker != null && name.equals(maker.getKey()))) {
                return;
            }
            refs.forEach((variable, ref) -> {
                if (ComposeRules.DATABASE_CREDENTIALS.contains(variable)
                        || (ref != null && databaseRefs.contains(ref))) {
                    problems.add(name + ": holds a database credential (" + variable
                            + "); only the coordinator connects to PostgreSQL");
                }
            });
        });
        return problems;
    }

    private static String coordinatorDatabaseUrl(List<Resource> resources) {
        return workloads(resources).stream()
                .filter(workload -> workload.name().equals("coordinator"))
                .flatMap(workload -> workload.pod().getContainers().stream())
                .map(container -> environmentOf(container, resources).get("EVALFLEET_DB_URL"))
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(null);
    }

    /** workload → variable → "secret/key" it reads, or null for a variable set otherwise. */
    private static Map<String, Map<String, String>> secretRefsByWorkload(List<Resource> resources) {
        Map<String, Map<String, String>> refsByWorkload = new LinkedHashMap<>();
        for (Workload workload : workloads(resources)) {
            Map<String, String> refs = new LinkedHashMap<>();
            for (Container container : workload.pod().getContainers()) {
                for (EnvVar env : container.getEnv() == null ? List.<EnvVar>of() : container.getEnv()) {
                    if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
                        var ref = env.getValueFrom().getSecretKeyRef();
                        refs.put(env.getName(), ref.getName() + "/" + ref.getKey());
                    } else {
                        refs.put(env.getName(), null);
                    }
                }
            }
            refsByWorkload.put(workload.name(), refs);
        }
        return refsByWorkload;
    }

    private static String valueOf(String ref, Map<String, Map<String, String>> secrets) {
        if (ref == null) {
            return null;
        }
        int slash = ref.indexOf('/');
        var secret = secrets.get(ref.substring(0, slash));
        return secret == null ? null : secret.get(ref.substring(slash + 1));
    }

    /** The variables each evalfleet container gets (env and envFrom ConfigMaps): name → value or null. */
    static Map<String, String> environmentOf(Container container, List<Resource> resources) {
        Map<String, String> variables = new LinkedHashMap<>();
        for (EnvFromSource source :
                container.getEnvFrom() == null ? List.<EnvFromSource>of() : container.getEnvFrom()) {
            if (source.getConfigMapRef() != null) {
                String name = source.getConfigMapRef().getName();
                ConfigMap configMap = resources.stream()
                        .filter(resource ->
                                resource.is(ConfigMap.class) && resource.name().equals(name))
                        .map(resource -> resource.as(ConfigMap.class))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError(container.getName() + ": no ConfigMap " + name));
                variables.putAll(configMap.getData());
            }
        }
        for (EnvVar env : container.getEnv() == null ? List.<EnvVar>of() : container.getEnv()) {
            variables.put(env.getName(), env.getValue());
        }
        return variables;
    }

    static List<String> variablesAreRead(List<Resource> resources) {
        List<String> problems = new ArrayList<>();
        for (Workload workload : workloads(resources)) {
            EvalfleetService.named(workload.name()).ifPresent(service -> {
                ServiceConfiguration configuration = service.configuration();
                for (Container container : workload.pod().getContainers()) {
                    environmentOf(container, resources).keySet().stream()
                            .filter(variable -> !configuration.reads(variable))
                            .forEach(variable -> problems.add(workload.name() + ": sets " + variable + ", which "
                                    + service.module + "/src/main/resources/application.yml does not read"));
                }
            });
        }
        return problems;
    }

    static Set<String> serviceNames(List<Resource> resources) {
        return resources.stream()
                .filter(resource -> resource.is(Service.class))
                .map(Resource::name)
                .collect(Collectors.toSet());
    }

    static List<String> hostsAreServices(List<Resource> resources, Map<String, Map<String, String>> secrets) {
        List<String> problems = new ArrayList<>();
        Set<String> services = serviceNames(resources);
        for (Workload workload : workloads(resources)) {
            for (Container container : workload.pod().getContainers()) {
                environmentOf(container, resources)
                        .forEach((variable, value) -> Conventions.hostIn(variable, value)
                                .map(Conventions::serviceOf)
                                .filter(service -> !services.contains(service))
                                .ifPresent(service -> problems.add(workload.name() + ": " + variable + " points at "
                                        + service + ", which is no Service")));
            }
        }
        secrets.forEach((secret, values) -> values.forEach((key, value) -> Conventions.hostIn(key, value)
                .map(Conventions::serviceOf)
                .filter(service -> !services.contains(service))
                .ifPresent(service -> problems.add(
                        "Secret " + secret + "/" + key + " points at " + service + ", which is no Service"))));
        return problems;
    }

    static List<String> secretReferencesResolve(List<Resource> resources, Map<String, Map<String, String>> secrets) {
        List<String> problems = new ArrayList<>();
        for (Workload workload : workloads(resources)) {
            for (Container container : workload.pod().getContainers()) {
                for (EnvVar env : container.getEnv() == null ? List.<EnvVar>of() : container.getEnv()) {
                    if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
                        var ref = env.getValueFrom().getSecretKeyRef();
                        if (!secrets.containsKey(ref.getName())
                                || !secrets.get(ref.getName()).containsKey(ref.getKey())) {
                            problems.add(workload.name() + ": " + env.getName() + " reads " + ref.getName() + "/"
                                    + ref.getKey() + ", which no Secret holds");
                        }
                    }
                }
            }
        }
        for (Resource resource : resources) {
            if (resource.is(Keda.TriggerAuthentication.class)) {
                for (Keda.SecretTargetRef ref :
                        resource.as(Keda.TriggerAuthentication.class).spec().secretTargetRef()) {
                    if (!secrets.containsKey(ref.name())
                            || !secrets.get(ref.name()).containsKey(ref.key())) {
                        problems.add("TriggerAuthentication " + resource.name() + " reads " + ref.name() + "/"
                                + ref.key() + ", which no Secret holds");
                    }
                }
            }
        }
        return problems;
    }
}
