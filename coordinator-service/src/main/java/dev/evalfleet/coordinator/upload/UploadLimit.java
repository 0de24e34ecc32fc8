package dev.evalfleet.coordinator.upload;

import dev.evalfleet.coordinator.CoordinatorProperties;
import dev.evalfleet.coordinator.api.PayloadTooLargeException;
import java.io.IOException;
import java.io.InputStream;
import org.springframework.stereotype.Component;

/** Reads an upload into memory, refusing one larger than {@code evalfleet.coordinator.limits.max-upload-size}. */
@Component
public class UploadLimit {

    private final long maxUploadBytes;

    UploadLimit(CoordinatorProperties properties) {
        this.maxUploadBytes = properties.limits().maxUploadSize().toBytes();
    }

    public byte[] read(InputStream in) throws IOException {
        // one byte past the limit tells an upload at the limit from one beyond it
        byte[] content = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxUploadBytes + 1));
        if (content.length > maxUploadBytes) {
            throw new PayloadTooLargeException("The upload exceeds " + maxUploadBytes + " bytes");
        }
        return content;
    }
}
