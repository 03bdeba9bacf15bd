/**
 * Training and inference: the only module that imports DL4J and ND4J. It knows nothing of runs, jobs or
 * the server; {@code training.listener} reports to a server through the client library alone, which is
 * why both ship together in the client jar.
 */
@ApplicationModule(allowedDependencies = "client")
package dev.trainyard.training;

import org.springframework.modulith.ApplicationModule;
