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
 * A run: an external script's log, or a training job. The aggregate guards its own lifecycle;
 * callers ask it to change state and it refuses what the lifecycle forbids. Only the changed
 * columns are written, so an update here never overwrites a worker's heartbeat.
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
    private RunState state;
    private String config;
    private String notes;
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
    private Instant startedAt;
    private Instant endedAt;
    private Instant heartbeatAt;
    /** Set and cleared only by {@link RunManagement#markDeleted} / {@link RunManagement#restore}, never by a save. */
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
     */
    static Run external(String id, Project project, String name, String config, Set<String> tags, String notes,
            Placement placement, Instant now) {
        var run = new Run(id == null ? Ids.newId() : id, project, name, RunKind.EXTERNAL, RunState.RUNNING, config, tags,
                notes, now);
        run.place(placement);
        run.startedAt = now;
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

    /**
     * A script picks its run up again ({@code wandb.init(id=..., resume=...)}): whatever its
     * ending, it is running once more, and its points go on from where they stopped.
     */
    void resume(Instant now) {
        if (kind != RunKind.EXTERNAL) {
            throw new ConflictException("run " + id + " is a job; only a script's run can be resumed");
        }
        state = RunState.RUNNING;
        endedAt = null;
        error = null;
        heartbeatAt = now;
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

    /**
     * A script declares its run over. Repeating the same ending is harmless, so a retried
     * {@code finish()} succeeds; changing an ending, or ending a job this way, is refused.
     */
    boolean end(RunState ending, Instant now) {
        if (ending != RunState.FINISHED && ending != RunState.FAILED) {
            throw new ConflictException("state may only be set to FINISHED or FAILED, not " + ending);
        }
        if (kind != RunKind.EXTERNAL) {
            throw new ConflictException("a job's state is set by its worker; use POST /runs/" + id + "/cancel to stop it");
        }
        if (state == ending) {
            return false;
        }
        if (state.isTerminal()) {
            throw new ConflictException("run " + id + " is already " + state + " and cannot become " + ending);
        }
        state = ending;
        endedAt = now;
        return true;
    }

    /** Stops a job: a queued one never starts, a running one stops within an epoch. */
    void cancel(Instant now) {
        if (kind != RunKind.JOB) {
            throw new ConflictException("only jobs can be cancelled; end an external run with PATCH {\"state\": \"FINISHED\"}");
        }
        if (state.isTerminal()) {
            throw new ConflictException("run " + id + " is already " + state + " and cannot be cancelled");
        }
        state = RunState.CANCELLED;
        endedAt = now;
    }

    /** A heartbeat from a script; one that went quiet and came back is running again. */
    boolean beat(Instant now) {
        heartbeatAt = now;
        if (kind == RunKind.EXTERNAL && state == RunState.CRASHED) {
            state = RunState.RUNNING;
            endedAt = null;
            return true;
        }
        return false;
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
