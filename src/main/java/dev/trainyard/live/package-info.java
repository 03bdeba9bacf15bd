/**
 * Server-sent events of runs and projects, relayed between nodes on PostgreSQL. Its dependencies are declared here and checked by ModuleStructureTest.
 */
@ApplicationModule(allowedDependencies = {"accounts", "shared", "shared :: *", "tracking"})
package dev.trainyard.live;

import org.springframework.modulith.ApplicationModule;
