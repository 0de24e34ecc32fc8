package dev.evalfleet.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PlaceholderTest {

    @Test
    void rootIsKnown() {
        assertThat(Files.isDirectory(Path.of(System.getProperty("evalfleet.root", "..")))).isTrue();
    }
}
