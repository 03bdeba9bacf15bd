/**
 * Users, roles, sign-in, API tokens and the security rules of team and local mode. Its dependencies are declared here and checked by ModuleStructureTest.
 */
@ApplicationModule(allowedDependencies = {"shared", "shared :: *"})
package dev.trainyard.accounts;

import org.springframework.modulith.ApplicationModule;
