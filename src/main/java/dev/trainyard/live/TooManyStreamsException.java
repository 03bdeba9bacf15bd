package dev.trainyard.live;

import dev.trainyard.shared.web.ServiceUnavailableException;

/** The process already serves its configured maximum of open streams: a 503 problem. */
class TooManyStreamsException extends ServiceUnavailableException {

    TooManyStreamsException(int max) {
        super("this server already serves its maximum of " + max + " live streams; try again later");
    }
}
