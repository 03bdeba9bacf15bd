/**
 * MLflow's tracking REST API ({@code /api/2.0/mlflow/...}) over Trainyard's own runs: an experiment
 * is a project (id "0" is the project named "Default"), a run is a run, params are its config,
 * metrics go into the metric store (so the dashboard charts them live), and MLflow's valued tags
 * are kept beside the run. Field names and error codes follow MLflow's {@code service.proto} and
 * its server.
 * Its dependencies are declared here and checked by ModuleStructureTest.
 */
@ApplicationModule(allowedDependencies = {"artifacts", "artifacts :: *", "shared", "shared :: *", "tracking"})
package dev.trainyard.mlflow;

import org.springframework.modulith.ApplicationModule;
