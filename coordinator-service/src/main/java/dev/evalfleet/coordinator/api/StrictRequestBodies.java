package dev.evalfleet.coordinator.api;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A request body naming a field the API does not know (say {@code status}, {@code createdBy} or
 * {@code id} on a new job) is refused with 400 naming the field, never silently dropped. Only the
 * API's bodies: messages between the services keep reading what they understand.
 */
@Configuration(proxyBeanMethods = false)
class StrictRequestBodies implements WebMvcConfigurer {

    private final JsonMapper json;

    StrictRequestBodies(JsonMapper json) {
        this.json = json;
    }

    @Override
    public void configureMessageConverters(HttpMessageConverters.ServerBuilder builder) {
        builder.withJsonConverter(new JacksonJsonHttpMessageConverter(
                json.rebuild().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)));
    }
}
