/**
 * Job submission, the persistent queue and the worker pool that trains through training. Its dependencies are declared here and checked by ModuleStructureTest.
 */
@ApplicationModule(allowedDependencies = {"accounts", "shared", "shared :: *", "tracking", "training"})
package dev.trainyard.jobs;

import org.springframework.modulith.ApplicationModule;
