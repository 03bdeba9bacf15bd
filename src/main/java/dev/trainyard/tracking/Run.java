package dev.trainyard.tracking;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.trainyard.shared.web.ConflictException;
import dev.trainyard.shared.Ids;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.hibernate.annotations.DynamicUpdate;

/**
 * A run: an external script's log, or a training job. Its state and the times and error that go
 * with it are {@link RunLifecycle}'s alone to change: they are mapped read-only here, so a save
 * can never write them, nor overwrite a worker's heartbeat. Only the changed columns are written.
 */
@Entity
@Table(name = "run")
@DynamicUpdate
public class Run {

    @Id
    private String id;
    @ManyToOne(fetch = FetchType.EAGER, optional = false)
    @JoinColumn(name = "project_id")
    private Project project;
    private String name;
    @Enumerated(EnumType.STRING)
    private RunKind kind;
    @Enumerated(EnumType.STRING)
    @Column(updatable = false)
    private RunState state;
    private String config;
    private String notes;
    @Column(updatable = false)
    private String error;
    @Column(name = "group_id")
    private String group;
    private String entity;
    private String jobType;
    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "run_tag", joinColumns = @JoinColumn(name = "run_id"))
    @Column(name = "tag")
    private Set<String> tags = new LinkedHashSet<>();
    private Instant createdAt;
    @Column(updatable = false)
    private Instant startedAt;
    @Column(updatable = false)
    private Instant endedAt;
    @Column(updatable = false)
    private Instant heartbeatAt;
    /** Set and cleared only by {@link RunLifecycle#delete} / {@link RunLifecycle#restore}, never by a save. */
    @Column(name = "deleted_at", insertable = false, updatable = false)
    private Instant deletedAt;
    @Version
    private long version;

    protected Run() {
    }

    private Run(String id, Project project, String name, RunKind kind, RunState state, String config, Set<String> tags,
            String notes, Instant now) {
        this.id = id;
        this.project = project;
        this.name = name;
        this.kind = kind;
        this.state = state;
        this.config = config;
        this.tags = new LinkedHashSet<>(tags);
        this.notes = notes;
        this.createdAt = now;
    }

    /**
     * A script's run: alive from the moment it is created, as with {@code wandb.init}. The id is
     * the script's own when it chose one (wandb's {@code id}, to resume by later), else a new one.
     * It started when the script says ({@code startedAt}), else now.
     */
    static Run external(String id, Project project, String name, String config, Set<String> tags, String notes,
            Placement placement, Instant startedAt, Instant now) {
        var run = new Run(id == null ? Ids.newId() : id, project, name, RunKind.EXTERNAL, RunState.RUNNING, config, tags,
                notes, now);
        run.place(placement);
        run.startedAt = startedAt == null ? now : startedAt;
        run.heartbeatAt = now;
        return run;
    }

    /** A training job's run, waiting for a worker. */
    static Run job(Project project, String name, String config, Set<String> tags, String notes, Placement placement,
            Instant now) {
        var run = new Run(Ids.newId(), project, name, RunKind.JOB, RunState.QUEUED, config, tags, notes, now);
        run.place(placement);
        return run;
    }

    /** Where a run sits among others: wandb's entity, group and job type; each may be null. */
    record Placement(String entity, String group, String jobType) {

        static final Placement NONE = new Placement(null, null, null);
    }

    private void place(Placement placement) {
        this.entity = placement.entity();
        this.group = placement.group();
        this.jobType = placement.jobType();
        if (jobType != null) {
            tags.add(jobType);
        }
    }

    void reconfigure(String config) {
        if (kind != RunKind.EXTERNAL) {
            throw new ConflictException("a job's config is its hyper-parameters, fixed when it was queued");
        }
        this.config = config;
    }

    void rename(String name) {
        this.name = name;
    }

    void retag(Set<String> tags) {
        this.tags.clear();
        this.tags.addAll(tags);
    }

    void annotate(String notes) {
        this.notes = notes;
    }

    public String getId() {
        return id;
    }

    public Project getProject() {
        return project;
    }

    public String getName() {
        return name;
    }

    public RunKind getKind() {
        return kind;
    }

    public RunState getState() {
        return state;
    }

    public String getConfig() {
        return config;
    }

    public String getNotes() {
        return notes;
    }

    public String getError() {
        return error;
    }

    /** The run's group: the sweep it belongs to, or a group its script named. */
    public String getGroup() {
        return group;
    }

    /** The namespace its script named (wandb's entity), if any. */
    public String getEntity() {
        return entity;
    }

    public String getJobType() {
        return jobType;
    }

    public List<String> getTags() {
        return tags.stream().sorted().toList();
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getStartedAt() {
        return startedAt;
    }

    /** When MLflow's delete_run hid the run; null while it is active. */
    public Instant getDeletedAt() {
        return deletedAt;
    }

    public Instant getEndedAt() {
        return endedAt;
    }

    public Instant getHeartbeatAt() {
        return heartbeatAt;
    }

    public long getVersion() {
        return version;
    }
}
