package dev.trainyard.live;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param streamTimeout how long an SSE connection stays open; browsers reconnect and resume
 * @param keepAlive     how often an idle stream sends a comment, so proxies keep it open
 * @param maxStreams    open streams this process serves at most; more get a 503
 * @param maxStreamsPerUser in team mode, open streams one user (all their sessions and tokens) may hold in this
 *                      process, well below {@code maxStreams}, so that one client cannot take every stream; more get a 429
 */
@ConfigurationProperties("trainyard.live")
record LiveSettings(Duration streamTimeout, Duration keepAlive, Integer maxStreams, Integer maxStreamsPerUser) {

    LiveSettings {
        streamTimeout = streamTimeout == null ? Duration.ofMinutes(30) : streamTimeout;
        keepAlive = keepAlive == null ? Duration.ofSeconds(15) : keepAlive;
        maxStreams = maxStreams == null ? 1000 : maxStreams;
        maxStreamsPerUser = maxStreamsPerUser == null ? Math.max(1, Math.min(50, maxStreams / 4)) : maxStreamsPerUser;
    }
}
