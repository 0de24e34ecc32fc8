package dev.evalfleet.coordinator.job;

import java.util.HashMap;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** How many jobs and tasks there are in each state, over the whole fleet. */
@Component
public class JobCensus {

    private final JdbcClient jdbc;

    JobCensus(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Map<String, Long> jobsByStatus() {
        return counts("select status, count(*) from job group by status");
    }

    public Map<String, Long> tasksByState() {
        return counts("select state, count(*) from task group by state");
    }

    private Map<String, Long> counts(String sql) {
        Map<String, Long> counts = new HashMap<>();
        jdbc.sql(sql).query(rs -> {
            counts.put(rs.getString(1), rs.getLong(2));
        });
        return counts;
    }
}
