package dev.evalfleet.coordinator.sample;

import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.stereotype.Repository;

/** Remembers, for jobs made from a samples file, each sample's line and original fields. */
@Repository
public class SubmittedSamples {

    private final NamedParameterJdbcTemplate jdbc;

    SubmittedSamples(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Sample i of the task is {@code lines.get(i)}; written in one batch. */
    public void record(UUID taskId, List<SubmittedSample> lines) {
        SqlParameterSource[] rows = IntStream.range(0, lines.size())
                .mapToObj(i -> new MapSqlParameterSource()
                        .addValue("task", taskId)
                        .addValue("index", i)
                        .addValue("line", lines.get(i).inputLine())
                        .addValue("original", lines.get(i).original()))
                .toArray(SqlParameterSource[]::new);
        jdbc.batchUpdate("""
                insert into submitted_sample (task_id, sample_index, input_line, original)
                values (:task, :index, :line, :original)
                """, rows);
    }
}
