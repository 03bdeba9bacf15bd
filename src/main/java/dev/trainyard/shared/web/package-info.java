/**
 * The HTTP edge every feature uses: the exceptions that become RFC 9457 problems, {@link
 * dev.trainyard.shared.web.Problems} for writing one by hand, and stored-text checks. The filters and
 * the advice stay package-private.
 */
@NamedInterface("web")
package dev.trainyard.shared.web;

import org.springframework.modulith.NamedInterface;
