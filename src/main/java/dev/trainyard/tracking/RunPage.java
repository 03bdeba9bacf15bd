package dev.trainyard.tracking;

import java.util.List;

public record RunPage(List<Run> runs, int page, int size, long total) {
}
