package dev.evalfleet.coordinator.result;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/** One row of a job's results (a sample, or a FAILED task without samples), holding the columns read. */
public final class ResultRow {

    private final Map<ResultColumn, Object> values;

    private ResultRow(Map<ResultColumn, Object> values) {
        this.values = values;
    }

    static ResultRow read(ResultSet rs, Set<ResultColumn> columns) throws SQLException {
        Map<ResultColumn, Object> values = new EnumMap<>(ResultColumn.class);
        for (ResultColumn column : columns) {
            Object value = rs.getObject(column.label());
            values.put(column, value instanceof Timestamp time ? time.toInstant() : value);
        }
        return new ResultRow(values);
    }

    /** The column's value as JDBC gave it; {@code null} where the row has none. */
    public Object get(ResultColumn column) {
        if (!values.containsKey(column)) {
            throw new IllegalArgumentException(column + " was not read");
        }
        return values.get(column);
    }

    public String text(ResultColumn column) {
        return (String) get(column);
    }

    public Integer integer(ResultColumn column) {
        return get(column) instanceof Number number ? number.intValue() : null;
    }

    public Long whole(ResultColumn column) {
        return get(column) instanceof Number number ? number.longValue() : null;
    }

    public Double decimal(ResultColumn column) {
        return get(column) instanceof Number number ? number.doubleValue() : null;
    }

    public Boolean flag(ResultColumn column) {
        return (Boolean) get(column);
    }

    public boolean passed() {
        return Boolean.TRUE.equals(get(ResultColumn.PASSED));
    }
}
