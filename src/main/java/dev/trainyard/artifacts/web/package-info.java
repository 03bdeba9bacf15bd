/**
 * Artifact downloads over HTTP. {@link dev.trainyard.artifacts.web.Downloads} is exposed because the
 * MLflow artifact proxy serves the same files the same way; the controller stays package-private.
 */
@NamedInterface("web")
package dev.trainyard.artifacts.web;

import org.springframework.modulith.NamedInterface;
