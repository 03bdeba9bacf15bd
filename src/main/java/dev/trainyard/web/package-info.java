/**
 * The dashboard's pages, composed from the other modules. Its dependencies are declared here and checked by ModuleStructureTest.
 */
@ApplicationModule(allowedDependencies = {"artifacts", "artifacts :: *", "datasets", "mlflow", "shared", "shared :: *", "sweeps",
        "tracking", "training"})
package dev.trainyard.web;

import org.springframework.modulith.ApplicationModule;
