package dev.trainyard.tracking;

import java.util.Collection;
import java.util.Map;

import dev.trainyard.training.JobSpec;

/**
 * How a job run's job is checked, queued and read back. {@code tracking} owns the run; the module
 * that queues and trains jobs implements this, so that tracking knows neither the limits a job is
 * held to nor the table it waits in.
 *
 * <p>{@link #admit} and {@link #enqueue} run inside the transaction that creates the run: the run
 * row, the job's entry and the run's first state event commit together or not at all, and whatever
 * {@code admit} locks (a user's quota) stays locked until then.
 */
public interface JobIntake {

    /**
     * Refuses, before its run exists, a job that cannot or may not be queued, as a 4xx problem
     * ({@code BadRequestException} naming the field, {@code QuotaExceededException} naming the setting).
     *
     * @return the job's effective hyper-parameters (its spec with the model's defaults applied), which
     *         become the run's config
     */
    Map<String, Object> admit(JobSpec job);

    /** Queues the job of the run just created from an {@link #admit admitted} spec. */
    void enqueue(String runId, JobSpec job);

    /** The job records of the given runs, by run id; a run without a job is absent. */
    Map<String, JobRecord> records(Collection<String> runIds);

    /** Where each of the given runs waits in the queue, by run id; a run that is not a queued job is absent. */
    Map<String, QueuePlace> queuePlaces(Collection<String> runIds);
}
