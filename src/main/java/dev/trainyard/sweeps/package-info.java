/**
 * Grids of jobs queued as one and compared as one. Its dependencies are declared here and checked by ModuleStructureTest.
 */
@ApplicationModule(allowedDependencies = {"shared", "shared :: *", "tracking", "training"})
package dev.trainyard.sweeps;

import org.springframework.modulith.ApplicationModule;
