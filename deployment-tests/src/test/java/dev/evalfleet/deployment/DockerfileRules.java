package dev.evalfleet.deployment;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a service's Dockerfile must satisfy; {@link #check} returns the problems it finds. */
final class DockerfileRules {

    private static final Pattern FROM =
            Pattern.compile("(?im)^FROM\\s+(?:--platform=\\S+\\s+)?(\\S+)(?:\\s+AS\\s+(\\S+))?\\s*$");
    private static final Pattern USER = Pattern.compile("(?im)^USER\\s+(\\S+)\\s*$");

    private DockerfileRules() {}

    /** The instructions with continuation lines joined and comments dropped. */
    static String instructions(String dockerfile) {
        StringBuilder joined = new StringBuilder();
        for (String line : dockerfile.replace("\\\n", " ").split("\n")) {
            if (!line.strip().startsWith("#")) {
                joined.append(line).append('\n');
            }
        }
        return joined.toString();
    }

    static List<String> check(EvalfleetService service, String dockerfile) {
        List<String> problems = new ArrayList<>();
        String text = instructions(dockerfile);
        Matcher from = FROM.matcher(text);
        List<String> stages = new ArrayList<>();
        int lastFrom = -1;
        while (from.find()) {
            String image = from.group(1);
            if (!stages.contains(image)) {
                Conventions.unpinned(image).ifPresent(problem -> problems.add("FROM " + problem));
            }
            if (from.group(2) != null) {
                stages.add(from.group(2));
            }
            lastFrom = from.start();
        }
        if (lastFrom < 0) {
            return List.of("no FROM");
        }
        if (stages.isEmpty()) {
            problems.add("not a multi-stage build");
        }
        String finalStage = text.substring(lastFrom);
        Matcher user = USER.matcher(finalStage);
        String lastUser = null;
        while (user.find()) {
            lastUser = user.group(1);
        }
        if (lastUser == null) {
            problems.add("the final stage sets no USER, so it runs as root");
        } else if (lastUser.equals("root")
                || lastUser.equals("0")
                || lastUser.startsWith("0:")
                || lastUser.startsWith("root:")) {
            problems.add("USER " + lastUser + " is root");
        }
        int port = service.configuration().serverPort();
        if (!finalStage.matches("(?s).*HEALTHCHECK\\s.*CMD\\s.*/actuator/health.*")) {
            problems.add("no HEALTHCHECK on /actuator/health");
        } else if (!finalStage.matches("(?s).*HEALTHCHECK[^\\n]*:" + port + "/actuator/health.*")) {
            problems.add("HEALTHCHECK does not ask port " + port);
        }
        if (!finalStage.matches("(?s).*\\nEXPOSE\\s+" + port + "\\b.*")) {
            problems.add("does not EXPOSE " + port);
        }
        if (!text.contains("-Djarmode=tools") || !text.matches("(?s).*extract\\s+--layers\\s+--launcher.*")) {
            problems.add(
                    "does not extract the layered jar (java -Djarmode=tools -jar app.jar extract --layers --launcher)");
        }
        for (String layer : List.of("dependencies", "spring-boot-loader", "snapshot-dependencies", "application")) {
            if (!finalStage.contains("/" + layer + "/")) {
                problems.add("does not copy the layer " + layer);
            }
        }
        if (!text.contains("-pl " + service.module + " ")) {
            problems.add("does not build " + service.module + " with ./mvnw -pl");
        }
        if (!finalStage.contains("org.springframework.boot.loader.launch.JarLauncher")) {
            problems.add("does not start the JarLauncher");
        }
        if (!finalStage.contains("MaxRAMPercentage")) {
            problems.add("does not size the heap for the container (MaxRAMPercentage)");
        }
        return problems;
    }
}
