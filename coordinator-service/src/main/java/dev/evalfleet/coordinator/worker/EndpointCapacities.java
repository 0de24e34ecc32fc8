package dev.evalfleet.coordinator.worker;

import dev.evalfleet.coordinator.CoordinatorProperties;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Each endpoint's capacity, fleet-wide: configured where the endpoint is (on its workers, which know
 * its server and announce the capacity in heartbeats), and adapted here: a server that pushes back
 * halves the effective capacity (at most once per cooldown), answered requests grow it back by one
 * per effective-capacity's worth of them (additive increase, multiplicative decrease).
 */
@Service
public class EndpointCapacities {

    private final JdbcClient jdbc;
    private final Duration cooldown;

    EndpointCapacities(JdbcClient jdbc, CoordinatorProperties properties) {
        this.jdbc = jdbc;
        this.cooldown = properties.dispatch().pushbackCooldown();
    }

    /** What workers announce; a new endpoint starts at its configured capacity. */
    void announce(String endpoint, int configured) {
        jdbc.sql("""
                insert into endpoint_capacity (endpoint, configured, effective, updated_at)
                values (:endpoint, :configured, :configured, now())
                on conflict (endpoint) do update set
                    configured = excluded.configured,
                    effective = least(endpoint_capacity.effective, excluded.configured),
                    updated_at = now()
                where endpoint_capacity.configured <> excluded.configured
                """)
                .param("endpoint", endpoint)
                .param("configured", configured)
                .update();
    }

    /** Learns from requests that ended: pushbacks shrink the effective capacity, answers grow it. */
    public void learn(String endpoint, int succeeded, int pushedBack) {
        if (succeeded == 0 && pushedBack == 0) {
            return;
        }
        jdbc.sql("""
                update endpoint_capacity set
                    effective = case
                        when :pushedBack > 0 and (last_decrease_at is null or last_decrease_at < now() - make_interval(secs => :cooldown))
                            then greatest(1, effective / 2)
                        else least(configured, effective + cast(:succeeded as double precision) / greatest(effective, 1))
                        end,
                    last_decrease_at = case
                        when :pushedBack > 0 and (last_decrease_at is null or last_decrease_at < now() - make_interval(secs => :cooldown))
                            then now()
                        else last_decrease_at
                        end,
                    pushbacks = pushbacks + :pushedBack,
                    updated_at = now()
                where endpoint = :endpoint
                """)
                .param("endpoint", endpoint)
                .param("succeeded", succeeded)
                .param("pushedBack", pushedBack)
                .param("cooldown", cooldown.toMillis() / 1000.0)
                .update();
    }

    /** Configured and effective capacity by endpoint, of every endpoint ever announced. */
    public Map<String, Capacity> all() {
        Map<String, Capacity> capacities = new HashMap<>();
        jdbc.sql("select endpoint, configured, effective, pushbacks from endpoint_capacity")
                .query(rs -> {
                    capacities.put(
                            rs.getString("endpoint"),
                            new Capacity(
                                    rs.getInt("configured"),
                                    (int) Math.floor(rs.getDouble("effective")),
                                    rs.getLong("pushbacks")));
                });
        return capacities;
    }

    /**
     * An endpoint's capacity.
     *
     * @param configured requests its server serves at once, as announced
     * @param effective what the fleet may have in flight now
     * @param pushbacks requests the server refused as overloaded, so far
     */
    public record Capacity(int configured, int effective, long pushbacks) {}
}
