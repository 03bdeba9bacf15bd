package dev.trainyard.live;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param streamTimeout how long an SSE connection stays open; browsers reconnect and resume
 * @param keepAlive     how often an idle stream sends a comment, so proxies keep it open
 * @param maxStreams    open streams this process serves at most; more get a 503
 */
@ConfigurationProperties("trainyard.live")
record LiveSettings(Duration streamTimeout, Duration keepAlive, Integer maxStreams) {

    LiveSettings {
        streamTimeout = streamTimeout == null ? Duration.ofMinutes(30) : streamTimeout;
        keepAlive = keepAlive == null ? Duration.ofSeconds(15) : keepAlive;
        maxStreams = maxStreams == null ? 1000 : maxStreams;
    }
}
