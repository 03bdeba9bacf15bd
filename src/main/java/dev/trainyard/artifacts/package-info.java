/**
 * Files a run keeps beside its metrics: what a script uploads (MLflow's {@code log_artifact}) and
 * the trained model of a job. They live behind {@link dev.trainyard.artifacts.ArtifactStore}, on
 * disk under the data dir today, so that an S3-compatible store can take its place.
 */
package dev.trainyard.artifacts;
