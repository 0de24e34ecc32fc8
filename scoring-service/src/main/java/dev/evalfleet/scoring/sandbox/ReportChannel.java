package dev.evalfleet.scoring.sandbox;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the runner's report channel: keeps only lines that carry this run's nonce, so anything the
 * program writes there (it can find the descriptor) is ignored, and caps what it keeps.
 */
final class ReportChannel {

    static final String MARK = "@evalfleet:";

    private final String prefix;
    private final JsonMapper json;
    private final int limit;
    private final List<RunnerRecord> records = new ArrayList<>();
    private final Thread reader;
    private long keptBytes;

    /** Reads {@code in} on a platform thread of its own (it blocks on a pipe, see CappedOutput), or here and now. */
    private ReportChannel(InputStream in, boolean onThread, String nonce, JsonMapper json, int limit) {
        this.prefix = MARK + nonce + " ";
        this.json = json;
        this.limit = limit;
        this.reader = onThread
                ? Thread.ofPlatform().daemon(true).name("report-reader").start(() -> drain(in))
                : null;
        if (!onThread) {
            drain(in);
        }
    }

    /** Reads a running process's report channel on a thread of its own until it ends. */
    static ReportChannel drain(InputStream in, String nonce, JsonMapper json, int limit) {
        return new ReportChannel(in, true, nonce, json, limit);
    }

    /** Reads a report channel that is already complete (the fork server's answer), here and now. */
    static ReportChannel parse(byte[] channel, String nonce, JsonMapper json, int limit) {
        return new ReportChannel(new ByteArrayInputStream(channel), false, nonce, json, limit);
    }

    private void drain(InputStream in) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        boolean overlong = false;
        byte[] buffer = new byte[8192];
        try (in) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        if (!overlong) {
                            accept(line.toString(StandardCharsets.UTF_8));
                        }
                        line.reset();
                        overlong = false;
                    } else if (line.size() < limit) {
                        line.write(buffer[i]);
                    } else {
                        overlong = true;
                    }
                }
            }
            if (!overlong) {
                accept(line.toString(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // closed under us: the process is gone
        }
    }

    private void accept(String line) {
        // The runner starts each record on a fresh line, but program bytes may precede it on the same one.
        int at = line.indexOf(prefix);
        if (at < 0) {
            return;
        }
        String body = line.substring(at + prefix.length());
        synchronized (this) {
            if (keptBytes + body.length() > limit) {
                return;
            }
            keptBytes += body.length();
            try {
                records.add(json.readValue(body, RunnerRecord.class));
            } catch (JacksonException e) {
                // a record cut short by a kill; whatever it said is not known
            }
        }
    }

    boolean await(Duration wait) throws InterruptedException {
        return reader == null || reader.join(wait);
    }

    synchronized List<RunnerRecord> records() {
        return List.copyOf(records);
    }
}
