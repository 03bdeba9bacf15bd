package dev.trainyard.tracking;

import java.util.Set;

/** Changes to a run; null fields stay as they are. */
public record RunPatch(String name, Set<String> tags, String notes, RunState state) {
}
