package dev.evalfleet.scoring.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Drains a process's output on a thread of its own, keeping the first {@code limit} bytes and reading
 * and dropping the rest, so a flood neither blocks the writer nor fills the service's memory.
 *
 * <p>A platform thread, like every thread here that blocks on a pipe: a virtual thread blocked in a
 * pipe read can keep its carrier (the scheduler does not always compensate), and with as many such
 * readers as cores nothing else runs, not even the writer whose request would end the read.
 */
final class CappedOutput {

    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final int limit;
    private final Thread reader;
    private long total;

    private CappedOutput(InputStream in, int limit, String name) {
        this.limit = limit;
        this.reader = Thread.ofPlatform().daemon(true).name(name).start(() -> drain(in));
    }

    static CappedOutput drain(InputStream in, int limit, String name) {
        return new CappedOutput(in, limit, name);
    }

    private void drain(InputStream in) {
        byte[] buffer = new byte[8192];
        try (in) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                synchronized (this) {
                    int room = (int) Math.max(0, limit - kept.size());
                    kept.write(buffer, 0, Math.min(room, n));
                    total += n;
                }
            }
        } catch (IOException e) {
            // the stream was closed under us: the process is gone and what we have is all there is
        }
    }

    /** Waits for the end of the stream, at most {@code wait}; false if it is still open. */
    boolean await(Duration wait) throws InterruptedException {
        return reader.join(wait);
    }

    synchronized String text() {
        return text(kept.toByteArray(), total);
    }

    /** The kept bytes as text, saying how much there was in all when some were dropped. */
    static String text(byte[] kept, long total) {
        String text = new String(kept, StandardCharsets.UTF_8);
        return total > kept.length ? text + "\n[output truncated: " + total + " bytes in all]" : text;
    }

    synchronized long totalBytes() {
        return total;
    }
}
