package dev.trainyard.tracking;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.trainyard.training.JobSpec;

/**
 * A job run's spec, as stored with its defaults, and its progress. The API writes it as it always
 * has: the spec's fields (as {@link JobSpec} writes them, so a spec stored with the pre-#13
 * {@code epochs} comes out as {@code steps}) followed by {@code progress}.
 */
public record JobSummary(@JsonUnwrapped JobSpec spec, Progress progress) {

    /** One field of the spec by its JSON name, in the order the spec declares them. */
    public record Setting(String name, Object value) {
    }

    /** The spec's fields in the order the API writes them: its JSON creator lists {@code epochs} right after {@code steps}. */
    private static final List<RecordComponent> FIELDS = inWireOrder();

    private static List<RecordComponent> inWireOrder() {
        var fields = new ArrayList<>(List.of(JobSpec.class.getRecordComponents()));
        RecordComponent epochs = fields.stream().filter(f -> f.getName().equals(JobSpec.STEPS_ALIAS)).findFirst().orElseThrow();
        fields.remove(epochs);
        fields.add(fields.indexOf(fields.stream().filter(f -> f.getName().equals("steps")).findFirst().orElseThrow()) + 1, epochs);
        return List.copyOf(fields);
    }

    @JsonIgnore
    public String model() {
        return spec.model();
    }

    @JsonIgnore
    public boolean isDl4j() {
        return JobSpec.DL4J.equals(spec.model());
    }

    /**
     * The spec's fields that have a value, for pages that list them, in the API's order. A record
     * component is named as its JSON field, so a new field of the spec shows up here without a change.
     */
    @JsonIgnore
    public List<Setting> settings() {
        var settings = new ArrayList<Setting>();
        for (RecordComponent field : FIELDS) {
            Object value = valueOf(field);
            if (value != null) {
                settings.add(new Setting(field.getName(), value));
            }
        }
        return settings;
    }

    /** The value of the spec's field with that JSON name ({@code epochs} is a field of its own), or null. */
    public Object setting(String name) {
        for (RecordComponent field : FIELDS) {
            if (field.getName().equals(name)) {
                return valueOf(field);
            }
        }
        return null;
    }

    private Object valueOf(RecordComponent field) {
        try {
            return field.getAccessor().invoke(spec);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + field.getName() + " of a job spec", e);
        }
    }
}
