/**
 * Uploaded texts and tables, checked and described. Its dependencies are declared here and checked by ModuleStructureTest.
 */
@ApplicationModule(allowedDependencies = {"shared", "shared :: *", "training"})
package dev.trainyard.datasets;

import org.springframework.modulith.ApplicationModule;
