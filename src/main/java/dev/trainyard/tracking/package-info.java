/**
 * Projects, runs and their lifecycle, metric points, the event log and run search; training's types only as data. Its dependencies are declared here and checked by ModuleStructureTest.
 */
@ApplicationModule(allowedDependencies = {"shared", "shared :: *", "training"})
package dev.trainyard.tracking;

import org.springframework.modulith.ApplicationModule;
