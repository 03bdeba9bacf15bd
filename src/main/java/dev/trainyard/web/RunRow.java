package dev.trainyard.web;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.trainyard.tracking.Progress;
import dev.trainyard.tracking.RunState;
import dev.trainyard.tracking.RunView;
import dev.trainyard.tracking.SeriesSummary;

/**
 * One row of the runs table, with the numbers already formatted so the template stays dumb.
 * {@code step} and {@code steps} are null for external runs; {@code eta} is empty unless a running
 * job has an estimate; {@code cells} holds each chosen column's value by column id, a summary as
 * live.js writes it and a config value as stored.
 */
record RunRow(RunView run, String model, Integer step, Integer steps, String eta, String duration, Map<String, String> cells) {

    static RunRow of(RunView run, Instant now, List<RunColumn> columns, Map<String, SeriesSummary> summaries,
            Map<String, String> config) {
        String model = run.job() == null ? RunTable.EXTERNAL : run.job().model();
        Progress p = run.progress();
        String eta = p != null && p.etaSeconds() != null && run.state() == RunState.RUNNING
                ? DashboardController.duration(p.etaSeconds()) : "";
        Duration took = RunTable.duration(run.startedAt(), run.endedAt(), now);
        var cells = new HashMap<String, String>();
        for (RunColumn c : columns) {
            if (c.isConfig()) {
                String value = config.get(c.configKey());
                cells.put(c.id(), value == null ? "" : value);
            } else if (c.summary().mode() == null) {
                // the run's view carries the key's own summary, as its live updates do
                Double value = run.summary() == null ? null : run.summary().get(c.summary().key());
                cells.put(c.id(), DashboardController.number(value));
            } else {
                SeriesSummary s = summaries.get(c.summary().key());
                cells.put(c.id(), s == null ? "" : DashboardController.number(s.of(c.summary().mode())));
            }
        }
        return new RunRow(run, model, p == null ? null : p.step(), p == null ? null : p.steps(), eta,
                took == null ? "" : DashboardController.duration(took.toMillis() / 1000.0), cells);
    }
}
