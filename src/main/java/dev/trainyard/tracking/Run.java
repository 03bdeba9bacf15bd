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
    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "run_tag", joinColumns = @JoinColumn(name = "run_id"))
    @Column(name = "tag")
    private Set<String> tags = new LinkedHashSet<>();
    private Instant createdAt;
    private Instant startedAt;
    private Instant endedAt;
    private Instant heartbeatAt;
    @Version
    private long version;

    protected Run() {
    }

    private Run(Project project, String name, RunKind kind, RunState state, String config, Set<String> tags,
            String notes, Instant now) {
        this.id = Ids.newId();
        this.project = project;
        this.name = name;
        this.kind = kind;
        this.state = state;
        this.config = config;
        this.tags = new LinkedHashSet<>(tags);
        this.notes = notes;
        this.createdAt = now;
    }

    /** A script's run: alive from the moment it is created, as with {@code wandb.init}. */
    static Run external(Project project, String name, String config, Set<String> tags, String notes, Instant now) {
        var run = new Run(project, name, RunKind.EXTERNAL, RunState.RUNNING, config, tags, notes, now);
        run.startedAt = now;
        run.heartbeatAt = now;
        return run;
    }

    /** A training job's run, waiting for a worker. */
    static Run job(Project project, String name, String config, Set<String> tags, String notes, String group, Instant now) {
        var run = new Run(project, name, RunKind.JOB, RunState.QUEUED, config, tags, notes, now);
        run.group = group;
        return run;
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

    /** The sweep this run belongs to, if any. */
    public String getGroup() {
        return group;
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
