package dev.trainyard.training;

import java.util.Objects;
import java.util.Optional;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Refuses, when a job is queued, what the trainer would refuse when it starts (arrays or ops that
 * do not fit in memory) and jobs that would book more than {@code trainyard.jobs.max-work}.
 */
@Component
public class JobSizes {

    private static final String UPLOAD = "dataset:";

    private final JobSettings settings;
    private final ObjectProvider<UploadedTexts> uploads;

    JobSizes(JobSettings settings, ObjectProvider<UploadedTexts> uploads) {
        this.settings = settings;
        this.uploads = uploads;
    }

    /**
     * A dataset that cannot be resolved is left for the trainer to report, as before.
     *
     * @param spec a spec that passed Bean Validation
     * @throws TrainingException naming the limit the job is over
     */
    public void requireWithinLimits(JobSpec spec) {
        JobSpec job = Objects.requireNonNull(spec, "spec").withDefaults();
        Optional<JobSize> sized = sizeOf(job);
        if (sized.isEmpty()) {
            return;
        }
        JobSize size = sized.get();
        String refusal = size.memoryRefusal();
        if (refusal == null) {
            refusal = size.workRefusal(settings.maxWork());
        }
        if (refusal != null) {
            throw new TrainingException(refusal);
        }
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
