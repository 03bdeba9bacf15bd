package dev.trainyard.web;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import dev.trainyard.tracking.Progress;
import dev.trainyard.tracking.RunState;
import dev.trainyard.tracking.RunView;

/**
 * One row of the runs table, with the numbers already formatted so the template stays dumb.
 * {@code step} and {@code steps} are null for external runs; {@code eta} is empty unless a running
 * job has an estimate; {@code metrics} holds each summary value as live.js writes it.
 */
record RunRow(RunView run, String model, Integer step, Integer steps, String eta, String duration, Map<String, String> metrics) {

    static RunRow of(RunView run, Instant now) {
        String model = run.job() == null ? RunTable.EXTERNAL : run.job().model();
        Progress p = run.progress();
        String eta = p != null && p.etaSeconds() != null && run.state() == RunState.RUNNING
                ? DashboardController.duration(p.etaSeconds()) : "";
        Duration took = RunTable.duration(run.startedAt(), run.endedAt(), now);
        var metrics = new HashMap<String, String>();
        if (run.summary() != null) {
            run.summary().forEach((k, v) -> metrics.put(k, DashboardController.number(v)));
        }
        return new RunRow(run, model, p == null ? null : p.step(), p == null ? null : p.steps(), eta,
                took == null ? "" : DashboardController.duration(took.toMillis() / 1000.0), metrics);
    }
}
