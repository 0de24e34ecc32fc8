package dev.evalfleet.worker;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.amqp.support.converter.JacksonJsonMessageConverter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.util.StringUtils;
import tools.jackson.databind.json.JsonMapper;

/** Beans every feature of the worker shares: its identity and the JSON form of its messages. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class WorkerConfiguration {

    @Bean
    WorkerIdentity workerIdentity(WorkerProperties properties, ObjectProvider<BuildProperties> buildProperties) {
        String host = hostName();
        String workerId = StringUtils.hasText(properties.id())
                ? properties.id()
                : "%s-%d-%s".formatted(host, ProcessHandle.current().pid(), randomSuffix());
        String version = buildProperties.stream()
                .map(BuildProperties::getVersion)
                .findFirst()
                .orElse("unknown");
        return new WorkerIdentity(workerId, host, version, Instant.now());
    }

    /** Boot's mapper, so messages and REST bodies share one JSON configuration. */
    @Bean
    JacksonJsonMessageConverter jacksonJsonMessageConverter(JsonMapper jsonMapper) {
        // Type headers name contract records; nothing else may be instantiated from a message.
        return new JacksonJsonMessageConverter(jsonMapper, "dev.evalfleet.contracts");
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }

    private static String randomSuffix() {
        byte[] bytes = new byte[3];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
