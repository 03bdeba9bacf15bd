package dev.trainyard.web;

import dev.trainyard.training.JobSpec;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The dl4j launch form's fields: a network's JSON (pasted, or a template's), a table, its label column and the
 * training settings. Their ranges live on {@link JobSpec}, which the controller validates. A mutable bean because
 * the form binds by setter and re-renders with what the user typed.
 */
class Dl4jLaunchForm {

    @NotNull
    @Size(max = 200)
    @Pattern(regexp = ".*[A-Za-z0-9].*", message = "must contain at least one letter or digit")
    private String project = "default";
    @Size(max = 200)
    private String name;
    private String template;
    private String network;
    private String dataset;
    private String label;
    private String task;
    private Integer epochs;
    private Integer batchSize;
    private Long seed;
    private Double validationFraction;
    private String normalizer;
    private String earlyStopping;
    private Integer patience;

    JobSpec spec() {
        return new JobSpec(JobSpec.DL4J, blank(dataset), null, null, null, null, null, null, null, null, batchSize, seed, null,
                null, blank(network), null, blank(label), blank(task), epochs, validationFraction, blank(normalizer),
                blank(earlyStopping), blank(earlyStopping) == null ? null : patience);
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    public String getProject() { return project; }
    public void setProject(String project) { this.project = project; }
    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public String getTemplate() { return template; }
    public void setTemplate(String template) { this.template = template; }
    public String getNetwork() { return network; }
    public void setNetwork(String network) { this.network = network; }
    public String getDataset() { return dataset; }
    public void setDataset(String dataset) { this.dataset = dataset; }
    public String getLabel() { return label; }
    public void setLabel(String label) { this.label = label; }
    public String getTask() { return task; }
    public void setTask(String task) { this.task = task; }
    public Integer getEpochs() { return epochs; }
    public void setEpochs(Integer epochs) { this.epochs = epochs; }
    public Integer getBatchSize() { return batchSize; }
    public void setBatchSize(Integer batchSize) { this.batchSize = batchSize; }
    public Long getSeed() { return seed; }
    public void setSeed(Long seed) { this.seed = seed; }
    public Double getValidationFraction() { return validationFraction; }
    public void setValidationFraction(Double validationFraction) { this.validationFraction = validationFraction; }
    public String getNormalizer() { return normalizer; }
    public void setNormalizer(String normalizer) { this.normalizer = normalizer; }
    public String getEarlyStopping() { return earlyStopping; }
    public void setEarlyStopping(String earlyStopping) { this.earlyStopping = earlyStopping; }
    public Integer getPatience() { return patience; }
    public void setPatience(Integer patience) { this.patience = patience; }
}
