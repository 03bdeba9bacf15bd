package dev.trainyard.mlflow;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.trainyard.mlflow.Messages.Experiment;
import dev.trainyard.mlflow.Messages.Tag;
import dev.trainyard.shared.web.BadRequestException;
import dev.trainyard.shared.web.ConflictException;
import dev.trainyard.shared.web.NotFoundException;
import dev.trainyard.tracking.Project;
import dev.trainyard.tracking.ProjectManagement;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * MLflow's experiments are Trainyard's projects, addressed by the project's id. MLflow's id "0"
 * is its Default experiment: here the project named "Default", made on first use.
 */
@Service
public class MlflowExperiments {

    static final String DEFAULT_ID = "0";
    static final String DEFAULT_NAME = "Default";

    private final ProjectManagement projects;
    private final MlflowTags tags;

    MlflowExperiments(ProjectManagement projects, MlflowTags tags) {
        this.projects = projects;
        this.tags = tags;
    }

    /** MLflow's {@code experiments/create}: a new name only. */
    public String create(String name, List<Tag> experimentTags) {
        if (name == null || name.isBlank()) {
            throw MlflowException.invalid("Experiment name must not be empty (field 'name')");
        }
        Project project;
        try {
            project = projects.create(name, null);
        } catch (ConflictException e) {
            throw new MlflowException(ErrorCode.RESOURCE_ALREADY_EXISTS, "Experiment '" + name.strip() + "' already exists.");
        } catch (BadRequestException e) {
            throw MlflowException.invalid("Experiment name " + e.getMessage());
        }
        if (experimentTags != null) {
            experimentTags.forEach(t -> setTag(idOf(project), t.key(), t.value()));
        }
        return idOf(project);
    }

    /** The project an experiment id names; "0" is the Default one, made on first use. */
    public Project project(String experimentId) {
        if (experimentId == null || experimentId.isBlank()) {
            throw MlflowException.invalid("Missing value for required parameter 'experiment_id'.");
        }
        if (DEFAULT_ID.equals(experimentId)) {
            return projects.findOrCreate(DEFAULT_NAME);
        }
        try {
            return projects.byId(experimentId);
        } catch (NotFoundException e) {
            throw MlflowException.missing("No Experiment with id=" + experimentId + " exists");
        }
    }

    public Experiment get(String experimentId) {
        return view(project(experimentId));
    }

    public Experiment byName(String name) {
        if (name == null || name.isBlank()) {
            throw MlflowException.invalid("Missing value for required parameter 'experiment_name'.");
        }
        if (DEFAULT_NAME.equals(name.strip())) {
            return view(projects.findOrCreate(DEFAULT_NAME));
        }
        return projects.byName(name).map(this::view)
                .orElseThrow(() -> MlflowException.missing("Could not find experiment with name '" + name + "'"));
    }

    @Transactional
    public void setTag(String experimentId, String key, String value) {
        if (key == null || key.isBlank() || key.length() > 250) {
            throw MlflowException.invalid("Tag key must be 1 to 250 characters (field 'key')");
        }
        if (value != null && value.length() > 8000) {
            throw MlflowException.invalid("Tag value must be at most 8000 characters (field 'value')");
        }
        tags.setOnExperiment(project(experimentId).getId(), key, value == null ? "" : value);
    }

    /** {@code experiments/update}: a new name (the project's slug, and its URLs, stay). */
    public void rename(String experimentId, String newName) {
        if (newName == null || newName.isBlank()) {
            throw MlflowException.invalid("Missing value for required parameter 'new_name'.");
        }
        if (DEFAULT_ID.equals(experimentId)) {
            throw MlflowException.invalid("The Default experiment (id 0) is the project named 'Default' and keeps that name here");
        }
        Project project = project(experimentId);
        try {
            projects.rename(project.getId(), newName);
        } catch (ConflictException e) {
            throw new MlflowException(ErrorCode.RESOURCE_ALREADY_EXISTS, "Experiment '" + newName.strip() + "' already exists.");
        } catch (BadRequestException e) {
            throw MlflowException.invalid("Experiment name " + e.getMessage());
        }
    }

    /** {@code experiments/delete}: hides the project and its runs; an experiment already deleted is not found, as in MLflow. */
    public void delete(String experimentId) {
        if (DEFAULT_ID.equals(experimentId)) {
            throw MlflowException.invalid("Cannot delete the default experiment '0'. This is an internally reserved experiment.");
        }
        Project project = project(experimentId);
        if (!projects.markDeleted(project.getId())) {
            throw MlflowException.missing("No active Experiment with id=" + experimentId + " exists");
        }
    }

    /** {@code experiments/restore}: only a deleted experiment can be restored, as in MLflow. */
    public void restore(String experimentId) {
        Project project = project(experimentId);
        if (!projects.restore(project.getId())) {
            throw MlflowException.missing("No deleted Experiment with id=" + experimentId + " exists");
        }
    }

    /**
     * MLflow's {@code experiments/search}, newest first as MLflow orders it by default. The filter
     * understands {@code name = '...'}, {@code name LIKE '...'} and {@code name ILIKE '...'}.
     */
    public List<Experiment> search(String filter, ViewType viewType) {
        var matching = new ArrayList<Experiment>();
        var nameFilter = filter == null || filter.isBlank() ? null : MlflowFilter.parse(filter);
        for (Project project : projects.all()) {
            if (!viewType.includes(project.getDeletedAt() != null)) {
                continue;
            }
            Experiment e = view(project);
            if (nameFilter == null || nameFilter.matches(clause -> switch (clause.kind()) {
                case ATTRIBUTE -> clause.key().toLowerCase(Locale.ROOT).equals("name") ? e.name() : null;
                case TAG -> e.tags().stream().filter(t -> t.key().equals(clause.key())).map(Tag::value).findFirst().orElse(null);
                default -> null;
            })) {
                matching.add(e);
            }
        }
        matching.sort(Comparator.comparingLong(Experiment::creationTime).reversed().thenComparing(Experiment::experimentId));
        return matching;
    }

    String idOf(Project project) {
        return DEFAULT_NAME.equals(project.getName()) ? DEFAULT_ID : project.getId();
    }

    private Experiment view(Project project) {
        String id = idOf(project);
        long created = project.getCreatedAt().toEpochMilli();
        List<Tag> tagList = new ArrayList<>();
        for (Map.Entry<String, String> t : tags.ofExperiment(project.getId()).entrySet()) {
            tagList.add(new Tag(t.getKey(), t.getValue()));
        }
        String stage = project.getDeletedAt() == null ? "active" : "deleted";
        long updated = project.getDeletedAt() == null ? created : project.getDeletedAt().toEpochMilli();
        return new Experiment(id, project.getName(), "mlflow-artifacts:/" + id, stage, updated, created, tagList);
    }
}
