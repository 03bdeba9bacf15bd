package dev.trainyard.web;

import dev.trainyard.tracking.Progress;
import dev.trainyard.tracking.QueuePlace;
import dev.trainyard.tracking.RunView;

/** The run page's line for a queued job, worded as run.js words it when the place changes. */
record QueueLine(int position, int idleWorkers) {

    static QueueLine of(RunView run) {
        Progress progress = run.progress();
        QueuePlace place = progress == null ? null : progress.queue();
        return place == null ? null : new QueueLine(place.position(), place.idleWorkers());
    }

    public String text() {
        return "position " + position + " in the queue · " + idleWorkers + (idleWorkers == 1 ? " idle worker" : " idle workers");
    }
}
