package dev.trainyard.web;

import dev.trainyard.training.JobSpec;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The launch form's fields. The hyper-parameters' ranges live on {@link JobSpec}, which the controller
 * validates too, so the form and the REST API can't drift apart; here they only have to be present.
 * A mutable bean because the form binds by setter and re-renders with what the user typed.
 */
class LaunchForm {

    @NotNull
    @Size(max = 200)
    @Pattern(regexp = ".*[A-Za-z0-9].*", message = "must contain at least one letter or digit")
    private String project = "default";

    @Size(max = 200)
    private String name;

    @NotNull
    private Integer hidden = 35;

    @NotNull
    private Double learningRate = 0.01;

    @NotNull
    private Integer epochs = 1000;

    JobSpec spec() {
        return new JobSpec(JobSpec.SEED_RNN, JobSpec.SEED_SENTENCE, epochs, hidden, null, null, learningRate, null, null, null, null, null, null, null);
    }

    public String getProject() {
        return project;
    }

    public void setProject(String project) {
        this.project = project;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public Integer getHidden() {
        return hidden;
    }

    public void setHidden(Integer hidden) {
        this.hidden = hidden;
    }

    public Double getLearningRate() {
        return learningRate;
    }

    public void setLearningRate(Double learningRate) {
        this.learningRate = learningRate;
    }

    public Integer getEpochs() {
        return epochs;
    }

    public void setEpochs(Integer epochs) {
        this.epochs = epochs;
    }
}
