/**
 * Files a run keeps beside its metrics: what a script uploads (MLflow's {@code log_artifact}) and
 * the trained model of a job. They live behind {@link dev.trainyard.artifacts.ArtifactStore}, on
 * disk under the data dir today, so that an S3-compatible store can take its place.
 * Its dependencies are declared here and checked by ModuleStructureTest.
 */
@ApplicationModule(allowedDependencies = {"jobs", "shared", "shared :: *", "tracking"})
package dev.trainyard.artifacts;

import org.springframework.modulith.ApplicationModule;
