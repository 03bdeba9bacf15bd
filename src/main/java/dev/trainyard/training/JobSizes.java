package dev.trainyard.training;

import java.util.Objects;
import java.util.Optional;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Refuses, when a job is queued, what the trainer would refuse when it starts (arrays or ops that
 * do not fit in memory) and jobs that would book more than {@code trainyard.jobs.max-work}. The bean is
 * made by {@code jobs}, which owns the {@code trainyard.jobs} settings.
 */
public class JobSizes {

    private static final String UPLOAD = "dataset:";

    /** Networks up to this size are also built and run on one row at submission, which catches what DL4J finds only then. */
    private static final long DRY_RUN_PARAMETERS = 5_000_000;
    private static final int DRY_RUN_SECONDS = 30;

    private final long maxWork;
    private final ObjectProvider<UploadedTexts> uploads;
    private final Predictor predictor;

    /** @param maxWork the most work one job may book, see {@code trainyard.jobs.max-work} */
    public JobSizes(long maxWork, ObjectProvider<UploadedTexts> uploads, Predictor predictor) {
        this.maxWork = maxWork;
        this.uploads = uploads;
        this.predictor = predictor;
    }

    /**
     * A dataset that cannot be resolved is left for the trainer to report, as before.
     *
     * @param spec a spec that passed Bean Validation
     * @throws TrainingException naming the limit the job is over
     */
    public void requireWithinLimits(JobSpec spec) {
        JobSpec job = Objects.requireNonNull(spec, "spec").withDefaults();
        if (JobSpec.DL4J.equals(job.model())) {
            requireTrainable(job);
            return;
        }
        Optional<JobSize> sized = sizeOf(job);
        if (sized.isEmpty()) {
            return;
        }
        JobSize size = sized.get();
        String refusal = size.memoryRefusal();
        if (refusal == null) {
            refusal = size.workRefusal(maxWork);
        }
        if (refusal != null) {
            throw new TrainingException(refusal);
        }
    }

    /**
     * A dl4j job: its network parsed, its widths held against the table's, its size against the limits, and
     * (when small enough) built and run forward on one row, so DL4J's own complaints come now, naming the layer.
     *
     * @throws JobRefusal naming the spec field at fault
     */
    private void requireTrainable(JobSpec job) {
        TabularSource source = TabularSource.resolve(job, uploads.getIfAvailable());
        TabularTrainer.Prepared prepared = TabularTrainer.prepare(job, source);
        String refusal = prepared.refusal(job, maxWork);
        if (refusal != null) {
            throw new JobRefusal("network", refusal);
        }
        if (prepared.parameters() > DRY_RUN_PARAMETERS) {
            return;
        }
        int inputs = prepared.plan().features().size();
        predictor.call(() -> {
            try {
                var net = Dl4jNetwork.parse(source.network()).init(null);
                Dl4jNetwork.output(net, org.nd4j.linalg.factory.Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, inputs));
                return null;
            } catch (JobRefusal e) {
                throw e;
            } catch (RuntimeException e) {
                throw new JobRefusal("network", "DL4J refused the network: " + Dl4jNetwork.deepest(e), e);
            }
        }, DRY_RUN_SECONDS);
    }

    private Optional<JobSize> sizeOf(JobSpec job) {
        if (job.dataset().startsWith(UPLOAD)) {
            // from the upload's metadata: a sweep may queue hundreds of jobs on one large file
            UploadedTexts texts = uploads.getIfAvailable();
            return (texts == null ? Optional.<UploadedTexts.Shape>empty() : texts.shape(job.dataset().substring(UPLOAD.length())))
                    .map(shape -> JobSize.of(job, shape.characters(), shape.distinct(), false));
        }
        try {
            RecallTask recall = RecallTask.of(job.dataset());
            if (recall != null) {
                return JobSpec.SEED_RNN.equals(job.model()) ? Optional.empty() : Optional.of(JobSize.of(job, recall));
            }
            return Optional.of(JobSize.of(job, TrainingText.resolve(job.dataset(), job.seed(), null)));
        } catch (TrainingException unknownDataset) {
            return Optional.empty();
        }
    }
}
