package dev.trainyard.web;

import dev.trainyard.training.JobSpec;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The launch form's fields. The hyper-parameters' ranges live on {@link JobSpec}, which the controller
 * validates too, so the form and the REST API can't drift apart. A blank hyper-parameter takes the
 * model's default. A mutable bean because the form binds by setter and re-renders with what the user typed.
 */
class LaunchForm {

    /** The dataset choice that takes its length from {@link #memorizeLength}. */
    static final String MEMORIZE = "memorize";

    @NotNull
    @Size(max = 200)
    @Pattern(regexp = ".*[A-Za-z0-9].*", message = "must contain at least one letter or digit")
    private String project = "default";

    @Size(max = 200)
    private String name;

    private String model;
    private String dataset;
    private Integer memorizeLength;
    private Integer steps;
    /** {@code steps}' old name, as a bookmarked or scripted form post may still send it; steps wins. */
    private Integer epochs;
    private Integer hidden;
    private Integer layers;
    private Integer embedding;
    private Double learningRate;
    private String optimizer;
    private String loss;
    private Integer sequenceLength;
    private Integer batchSize;
    private Long seed;
    private Double clipGradient;
    private Integer sampleEvery;

    /** A form filled with the model's defaults, as the page first shows it. */
    static LaunchForm defaults(String model) {
        var form = new LaunchForm();
        form.model = model;
        JobSpec d = new JobSpec(model, null, null, null, null, null, null, null, null, null, null, null, null, null).withDefaults();
        form.dataset = d.dataset();
        form.steps = d.steps();
        form.hidden = d.hidden();
        form.layers = d.layers();
        form.embedding = d.embedding();
        form.learningRate = d.learningRate();
        form.optimizer = d.optimizer();
        form.loss = d.loss();
        form.sequenceLength = d.sequenceLength();
        form.batchSize = d.batchSize();
        form.seed = d.seed();
        form.clipGradient = d.clipGradient();
        form.sampleEvery = d.sampleEvery();
        return form;
    }

    boolean memorize() {
        return MEMORIZE.equals(dataset);
    }

    /** The job for {@code model} with these settings; seed-rnn ignores the fields it does not take (the page disables them). */
    JobSpec spec(String model) {
        boolean seedRnn = JobSpec.SEED_RNN.equals(model);
        // A length below 1 still reaches the spec's own range check, which names the allowed lengths.
        String data = memorize() ? JobSpec.MEMORIZE + (memorizeLength == null ? "" : Math.max(memorizeLength, 0)) : blank(dataset);
        return new JobSpec(model, data, steps != null ? steps : epochs, hidden, seedRnn ? null : layers, seedRnn ? null : embedding, learningRate,
                blank(optimizer), blank(loss), seedRnn ? null : sequenceLength, seedRnn ? null : batchSize, seed, clipGradient,
                sampleEvery);
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value.strip();
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

    public String getModel() {
        return model;
    }

    public void setModel(String model) {
        this.model = model;
    }

    public String getDataset() {
        return dataset;
    }

    public void setDataset(String dataset) {
        this.dataset = dataset;
    }

    public Integer getMemorizeLength() {
        return memorizeLength;
    }

    public void setMemorizeLength(Integer memorizeLength) {
        this.memorizeLength = memorizeLength;
    }

    public Integer getSteps() {
        return steps;
    }

    public void setSteps(Integer steps) {
        this.steps = steps;
    }

    public Integer getEpochs() {
        return epochs;
    }

    public void setEpochs(Integer epochs) {
        this.epochs = epochs;
    }

    public Integer getHidden() {
        return hidden;
    }

    public void setHidden(Integer hidden) {
        this.hidden = hidden;
    }

    public Integer getLayers() {
        return layers;
    }

    public void setLayers(Integer layers) {
        this.layers = layers;
    }

    public Integer getEmbedding() {
        return embedding;
    }

    public void setEmbedding(Integer embedding) {
        this.embedding = embedding;
    }

    public Double getLearningRate() {
        return learningRate;
    }

    public void setLearningRate(Double learningRate) {
        this.learningRate = learningRate;
    }

    public String getOptimizer() {
        return optimizer;
    }

    public void setOptimizer(String optimizer) {
        this.optimizer = optimizer;
    }

    public String getLoss() {
        return loss;
    }

    public void setLoss(String loss) {
        this.loss = loss;
    }

    public Integer getSequenceLength() {
        return sequenceLength;
    }

    public void setSequenceLength(Integer sequenceLength) {
        this.sequenceLength = sequenceLength;
    }

    public Integer getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(Integer batchSize) {
        this.batchSize = batchSize;
    }

    public Long getSeed() {
        return seed;
    }

    public void setSeed(Long seed) {
        this.seed = seed;
    }

    public Double getClipGradient() {
        return clipGradient;
    }

    public void setClipGradient(Double clipGradient) {
        this.clipGradient = clipGradient;
    }

    public Integer getSampleEvery() {
        return sampleEvery;
    }

    public void setSampleEvery(Integer sampleEvery) {
        this.sampleEvery = sampleEvery;
    }
}
