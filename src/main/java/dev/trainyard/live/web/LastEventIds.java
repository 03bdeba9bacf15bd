package dev.trainyard.live.web;

import dev.trainyard.shared.web.BadRequestException;

/** Reads the id a reconnecting EventSource sends back. */
final class LastEventIds {

    private LastEventIds() {
    }

    static Long parse(String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return null;
        }
        try {
            long id = Long.parseLong(lastEventId.strip());
            if (id < 0) {
                throw new NumberFormatException();
            }
            return id;
        } catch (NumberFormatException e) {
            throw new BadRequestException("Last-Event-ID", "must be an event id this server sent (a whole number ≥ 0)");
        }
    }
}
