/**
 * What every feature shares and no feature owns: ids, daemon thread pools, the node's role and the
 * {@code trainyard.*} settings in this package, and two named interfaces for the edges: {@code web}
 * (problem+json exceptions and the request filters) and {@code db} (which database this is, and
 * surviving a closed or full one). It depends on no feature, so that every feature may depend on it.
 */
@ApplicationModule(allowedDependencies = {})
package dev.trainyard.shared;

import org.springframework.modulith.ApplicationModule;
