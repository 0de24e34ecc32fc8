package dev.evalfleet.coordinator.sample;

import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Remembers, for jobs made from a samples file, each sample's line and original fields. */
@Repository
public class SubmittedSamples {

    private final JdbcClient jdbc;

    SubmittedSamples(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Sample i of the task is {@code lines.get(i)}. */
    public void record(UUID taskId, List<SubmittedSample> lines) {
        for (int i = 0; i < lines.size(); i++) {
            jdbc.sql("""
                    insert into submitted_sample (task_id, sample_index, input_line, original)
                    values (:task, :index, :line, :original)
                    """)
                    .param("task", taskId)
                    .param("index", i)
                    .param("line", lines.get(i).inputLine())
                    .param("original", lines.get(i).original())
                    .update();
        }
    }
}
