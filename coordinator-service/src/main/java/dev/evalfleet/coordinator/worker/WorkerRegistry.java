package dev.evalfleet.coordinator.worker;

import dev.evalfleet.contracts.EndpointDescriptor;
import dev.evalfleet.contracts.WorkerHeartbeat;
import dev.evalfleet.coordinator.CoordinatorProperties;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Knows which workers are alive and which model endpoints they serve; kept in PostgreSQL. */
@Service
public class WorkerRegistry {

    private static final TypeReference<List<EndpointDescriptor>> ENDPOINTS = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Duration staleAfter;
    private final Duration goneAfter;

    private final EndpointCapacities capacities;

    WorkerRegistry(JdbcClient jdbc, JsonMapper json, EndpointCapacities capacities, CoordinatorProperties properties) {
        this.jdbc = jdbc;
        this.capacities = capacities;
        this.json = json;
        this.staleAfter = properties.workers().staleAfter();
        this.goneAfter = properties.workers().goneAfter();
    }

    /** Records a heartbeat; an older heartbeat arriving late does not overwrite a newer one. */
    public void record(WorkerHeartbeat heartbeat) {
        Instant seen = heartbeat.sentAt() == null ? Instant.now() : heartbeat.sentAt();
        jdbc.sql("""
                insert into worker (worker_id, host, version, endpoints, capacity, tasks_in_flight, tasks_done,
                                    started_at, last_seen_at)
                values (:id, :host, :version, :endpoints, :capacity, :inFlight, :done, :startedAt, :seen)
                on conflict (worker_id) do update set
                    host = excluded.host, version = excluded.version, endpoints = excluded.endpoints,
                    capacity = excluded.capacity, tasks_in_flight = excluded.tasks_in_flight,
                    tasks_done = excluded.tasks_done, started_at = excluded.started_at,
                    last_seen_at = excluded.last_seen_at
                where worker.last_seen_at <= excluded.last_seen_at
                """)
                .param("id", heartbeat.workerId())
                .param("host", heartbeat.host() == null ? "" : heartbeat.host())
                .param("version", heartbeat.version())
                .param("endpoints", json.writeValueAsString(heartbeat.endpoints()))
                .param("capacity", heartbeat.capacity())
                .param("inFlight", heartbeat.tasksInFlight())
                .param("done", heartbeat.tasksDone())
                .param("startedAt", heartbeat.startedAt() == null ? null : Timestamp.from(heartbeat.startedAt()))
                .param("seen", Timestamp.from(seen))
                .update();
        for (EndpointDescriptor endpoint : heartbeat.endpoints()) {
            if (endpoint.capacity() > 0) {
                capacities.announce(endpoint.name(), endpoint.capacity());
            }
        }
    }

    /** Workers seen within twice the GONE threshold, UP first; older ones are history. */
    public List<WorkerView> workers() {
        Instant now = Instant.now();
        return jdbc
                .sql("select * from worker where last_seen_at > :since order by last_seen_at desc")
                .param("since", Timestamp.from(now.minus(goneAfter.multipliedBy(2))))
                .query((rs, row) -> toView(rs, now))
                .list()
                .stream()
                .sorted(Comparator.comparing(WorkerView::status))
                .toList();
    }

    /** Endpoints served by at least one worker that is UP or STALE, by name. */
    public List<EndpointView> endpoints() {
        return endpoints(workers().stream()
                .filter(worker -> worker.status() != WorkerStatus.GONE)
                .toList());
    }

    public Optional<EndpointView> endpoint(String name) {
        return endpoints().stream().filter(e -> e.name().equals(name)).findFirst();
    }

    /**
     * An endpoint some worker served at some time, live or not: a job may name it and wait for a
     * worker (one that scales from zero, say).
     */
    public Optional<EndpointView> everServed(String name) {
        return endpoints(jdbc.sql("select * from worker")
                        .query((rs, row) -> toView(rs, Instant.now()))
                        .list())
                .stream()
                .filter(e -> e.name().equals(name))
                .findFirst()
                .map(e -> new EndpointView(e.name(), e.provider(), 0, 0, e.capacity(), e.effectiveCapacity()));
    }

    private List<EndpointView> endpoints(List<WorkerView> serving) {
        Map<String, EndpointView> byName = new TreeMap<>();
        Map<String, EndpointCapacities.Capacity> capacity = capacities.all();
        for (WorkerView worker : serving) {
            for (EndpointDescriptor endpoint : worker.endpoints()) {
                EndpointCapacities.Capacity known = capacity.get(endpoint.name());
                int effective = known == null || endpoint.capacity() == 0 ? endpoint.capacity() : known.effective();
                byName.merge(
                        endpoint.name(),
                        new EndpointView(
                                endpoint.name(),
                                endpoint.provider(),
                                1,
                                endpoint.maxConcurrency(),
                                endpoint.capacity(),
                                effective),
                        (a, b) -> new EndpointView(
                                a.name(),
                                a.provider(),
                                a.workers() + 1,
                                a.maxConcurrency() + b.maxConcurrency(),
                                Math.max(a.capacity(), b.capacity()),
                                Math.max(a.effectiveCapacity(), b.effectiveCapacity())));
            }
        }
        return List.copyOf(byName.values());
    }

    private WorkerView toView(ResultSet rs, Instant now) throws SQLException {
        Instant lastSeen = rs.getTimestamp("last_seen_at").toInstant();
        Timestamp startedAt = rs.getTimestamp("started_at");
        return new WorkerView(
                rs.getString("worker_id"),
                rs.getString("host"),
                rs.getString("version"),
                statusAt(lastSeen, now),
                json.readValue(rs.getString("endpoints"), ENDPOINTS),
                rs.getInt("capacity"),
                rs.getInt("tasks_in_flight"),
                rs.getLong("tasks_done"),
                startedAt == null ? null : startedAt.toInstant(),
                lastSeen);
    }

    private WorkerStatus statusAt(Instant lastSeen, Instant now) {
        Duration silence = Duration.between(lastSeen, now);
        if (silence.compareTo(staleAfter) <= 0) {
            return WorkerStatus.UP;
        }
        return silence.compareTo(goneAfter) <= 0 ? WorkerStatus.STALE : WorkerStatus.GONE;
    }
}
