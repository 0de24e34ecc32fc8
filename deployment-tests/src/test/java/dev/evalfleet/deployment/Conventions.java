package dev.evalfleet.deployment;

import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Rules every deployment file obeys: pinned images, secrets only by reference, hostnames in URLs. */
final class Conventions {

    private static final Set<String> SECRET_WORDS =
            Set.of("PASSWORD", "PASSWD", "PASS", "PGPASSWORD", "SECRET", "TOKEN", "KEY", "APIKEY", "CREDENTIALS");

    /** A tag that names a release, e.g. 17.6-bookworm, v3.6.0, 21.0.8_9-jre-noble, 0.1.0-SNAPSHOT. */
    private static final Pattern VERSION_TAG = Pattern.compile("v?\\d+\\.\\d+[0-9A-Za-z._-]*");

    private static final Pattern URL_IN_VALUE = Pattern.compile("(?:jdbc:)?[a-z][a-z0-9+.-]*://[^\\s\"']+");

    private Conventions() {}

    /** Whether an environment variable of this name holds a credential. */
    static boolean isSecretName(String variable) {
        return Arrays.stream(variable.toUpperCase(Locale.ROOT).split("_")).anyMatch(SECRET_WORDS::contains);
    }

    /** Why {@code image} is not pinned to a release, or empty when it is. */
    static Optional<String> unpinned(String image) {
        if (image == null || image.isBlank()) {
            return Optional.of("no image");
        }
        String withoutDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int slash = withoutDigest.lastIndexOf('/');
        int colon = withoutDigest.lastIndexOf(':');
        if (colon <= slash) {
            return Optional.of(image + " has no tag");
        }
        String tag = withoutDigest.substring(colon + 1);
        if (tag.equals("latest") || tag.startsWith("latest-")) {
            return Optional.of(image + " uses latest");
        }
        if (!VERSION_TAG.matcher(tag).matches()) {
            return Optional.of(image + " has tag " + tag + ", which names no exact release");
        }
        return Optional.empty();
    }

    /**
     * The host a variable's value points at, if it names one: the host of a URL (also jdbc: and
     * amqp:), or the whole value of a *_HOST variable.
     */
    static Optional<String> hostIn(String variable, String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        var url = URL_IN_VALUE.matcher(value);
        if (url.find()) {
            String text = url.group().startsWith("jdbc:") ? url.group().substring(5) : url.group();
            String host = URI.create(text.replace("%2F", "%2f")).getHost();
            return Optional.ofNullable(host);
        }
        if (variable.endsWith("_HOST")) {
            return Optional.of(value.strip());
        }
        return Optional.empty();
    }

    /** The name of a Kubernetes Service a cluster DNS name refers to: svc of svc.ns.svc.cluster.local. */
    static String serviceOf(String host) {
        int dot = host.indexOf('.');
        return dot < 0 ? host : host.substring(0, dot);
    }
}
