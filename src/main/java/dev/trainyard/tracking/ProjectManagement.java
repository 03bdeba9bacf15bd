package dev.trainyard.tracking;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

    private final Projects projects;
    private final Clock clock;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate ownTransaction;

    ProjectManagement(Projects projects, Clock clock, JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.projects = projects;
        this.clock = clock;
        this.jdbc = jdbc;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    @Transactional
    public Project create(String name, String description) {
        String slug = requireSlug(name);
        if (projects.findBySlug(slug).isPresent()) {
            throw new ConflictException("a project with slug '" + slug + "' already exists");
        }
        return projects.saveAndFlush(new Project(name.strip(), description, clock.instant()));
    }

    /**
     * The project a script names, created on first use as {@code wandb.init} does. The insert
     * commits on its own, so two scripts racing to create it both end up with the one project.
     */
    public Project findOrCreate(String nameOrSlug) {
        String slug = requireSlug(nameOrSlug);
        return projects.findBySlug(slug).orElseGet(() -> {
            try {
                return ownTransaction.execute(tx -> projects.saveAndFlush(new Project(nameOrSlug.strip(), null, clock.instant())));
            } catch (DataIntegrityViolationException raced) {
                return projects.findBySlug(slug).orElseThrow(() -> raced);
            }
        });
    }

    @Transactional(readOnly = true)
    public Map<String, Long> runCounts() {
        var counts = new HashMap<String, Long>();
        jdbc.query("select project_id, count(*) from run group by project_id", rs -> {
            counts.put(rs.getString(1), rs.getLong(2));
        });
        return counts;
    }

    @Transactional(readOnly = true)
    public Project get(String slug) {
        return projects.findBySlug(slug).orElseThrow(() -> new NotFoundException("project", slug));
    }

    @Transactional(readOnly = true)
    public List<Project> all() {
        return projects.findAll(Sort.by("createdAt"));
    }

    private static String requireSlug(String name) {
        String slug = Project.slugOf(name);
        if (slug.isEmpty()) {
            throw new BadRequestException("name", "must contain at least one letter or digit");
        }
        return slug;
    }
}
