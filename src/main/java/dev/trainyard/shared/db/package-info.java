/**
 * {@link dev.trainyard.shared.db.Database} tells H2 from PostgreSQL for the few queries that differ and
 * recognises a closed or full database; the rest (write policy, store maintenance, recovery from a
 * closed database) is package-private configuration.
 */
@NamedInterface("db")
package dev.trainyard.shared.db;

import org.springframework.modulith.NamedInterface;
