package dev.trainyard.tracking;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

import dev.trainyard.shared.web.BadRequestException;
import dev.trainyard.shared.web.ConflictException;
import dev.trainyard.shared.web.NotFoundException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.transaction.annotation.Transactional;

@Service
public class ProjectManagement {

    private static final int MAX_NAME = 200;

    private final Projects projects;
    private final Clock clock;
    private final JdbcTemplate jdbc;
    private final RunLifecycle lifecycle;
    private final TransactionTemplate ownTransaction;

    ProjectManagement(Projects projects, Clock clock, JdbcTemplate jdbc, PlatformTransactionManager transactions,
            RunLifecycle lifecycle) {
        this.lifecycle = lifecycle;
        this.projects = projects;
        this.clock = clock;
        this.jdbc = jdbc;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    @Transactional
    public Project create(String name, String description) {
        String displayName = requireName(name);
        if (projects.findByName(displayName).isPresent()) {
            throw new ConflictException("a project named '" + displayName + "' already exists");
        }
        return projects.saveAndFlush(new Project(displayName, freeSlug(displayName), description, clock.instant()));
    }

    /**
     * The project a script names, created on first use as {@code wandb.init} does. Any display
     * name is taken as it is; two that slug alike are two projects with distinct slugs. The insert
     * commits on its own, so two scripts racing to create it both end up with the one project.
     */
    public Project findOrCreate(String name) {
        String displayName = requireName(name);
        for (int attempt = 1; ; attempt++) {
            var existing = projects.findByName(displayName);
            if (existing.isPresent()) {
                return existing.get();
            }
            try {
                return ownTransaction.execute(tx -> projects.saveAndFlush(
                        new Project(displayName, freeSlug(displayName), null, clock.instant())));
            } catch (DataIntegrityViolationException raced) {
                // Another script created this name, or another name took the slug; look again.
                if (attempt == 3) {
                    throw raced;
                }
            }
        }
    }

    /** The name's own slug, or, when another name holds it, the name's hash-suffixed one. */
    private String freeSlug(String name) {
        String slug = Project.slugOf(name);
        return projects.existsBySlug(slug) ? Project.distinctSlugOf(name) : slug;
    }

    @Transactional(readOnly = true)
    public Map<String, Long> runCounts() {
        var counts = new HashMap<String, Long>();
        jdbc.query("select project_id, count(*) from run where deleted_at is null group by project_id", rs -> {
            counts.put(rs.getString(1), rs.getLong(2));
        });
        return counts;
    }

    /**
     * Every project MLflow has not deleted, with its active runs' count and latest activity, the busiest
     * first and those without runs last, oldest first. One statement, however many projects there are.
     */
    @Transactional(readOnly = true)
    public List<ProjectSummary> summaries() {
        List<ProjectSummary> rows = jdbc.query("""
                select p.id, p.slug, p.name, p.description, p.created_at, a.runs, a.created, a.started, a.beat, a.ended
                from project p left join (
                    select project_id, count(*) runs, max(created_at) created, max(started_at) started,
                           max(heartbeat_at) beat, max(ended_at) ended
                    from run where deleted_at is null group by project_id) a on a.project_id = p.id
                where p.deleted_at is null
                order by p.created_at, p.id""", (rs, i) -> new ProjectSummary(rs.getString(1), rs.getString(2), rs.getString(3),
                rs.getString(4), instant(rs.getTimestamp(5)), rs.getLong(6),
                // newest of the four in Java: GREATEST treats nulls differently on H2 and PostgreSQL
                Stream.of(rs.getTimestamp(7), rs.getTimestamp(8), rs.getTimestamp(9), rs.getTimestamp(10))
                        .filter(Objects::nonNull).map(Timestamp::toInstant).max(Comparator.naturalOrder()).orElse(null)));
        return rows.stream().sorted(Comparator.comparing(ProjectSummary::lastActivity, Comparator.nullsLast(Comparator.reverseOrder())))
                .toList();
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    @Transactional(readOnly = true)
    public Project get(String slug) {
        return projects.findBySlug(slug).orElseThrow(() -> new NotFoundException("project", slug));
    }

    /** A project by its id, which other APIs (MLflow's experiment ids) use as its address. */
    @Transactional(readOnly = true)
    public Project byId(String id) {
        return projects.findById(id).orElseThrow(() -> new NotFoundException("project", id));
    }

    /** A project by its exact display name, if there is one. */
    @Transactional(readOnly = true)
    public java.util.Optional<Project> byName(String name) {
        return name == null ? java.util.Optional.empty() : projects.findByName(name.strip());
    }

    /** Every project, those MLflow deleted included (the project lists leave those out). */
    @Transactional(readOnly = true)
    public List<Project> all() {
        return projects.findAll(Sort.by("createdAt"));
    }

    /** A new display name; the slug, and so every URL of the project, stays as it was. */
    @Transactional
    public void rename(String id, String newName) {
        byId(id);
        String displayName = requireName(newName);
        var holder = projects.findByName(displayName);
        if (holder.isPresent() && !holder.get().getId().equals(id)) {
            throw new ConflictException("a project named '" + displayName + "' already exists");
        }
        jdbc.update("update project set name = ? where id = ?", displayName, id);
    }

    /**
     * Hides the project and its runs (MLflow's {@code delete_experiment}, which deletes the
     * experiment's runs with it); nothing is removed. Returns false if it was hidden already.
     */
    @Transactional
    public boolean markDeleted(String id) {
        byId(id);
        var now = java.sql.Timestamp.from(clock.instant());
        if (jdbc.update("update project set deleted_at = ? where id = ? and deleted_at is null", now, id) == 0) {
            return false;
        }
        lifecycle.deleteAllOf(id, now);
        return true;
    }

    /** Shows the project and all its runs again, as MLflow's {@code restore_experiment} does. */
    @Transactional
    public boolean restore(String id) {
        byId(id);
        if (jdbc.update("update project set deleted_at = null where id = ? and deleted_at is not null", id) == 0) {
            return false;
        }
        lifecycle.restoreAllOf(id);
        return true;
    }

    private static String requireName(String name) {
        String displayName = name == null ? "" : name.strip();
        if (displayName.isEmpty()) {
            throw new BadRequestException("project", "must not be blank");
        }
        if (displayName.length() > MAX_NAME) {
            throw new BadRequestException("project", "must be at most " + MAX_NAME + " characters");
        }
        return displayName;
    }
}
