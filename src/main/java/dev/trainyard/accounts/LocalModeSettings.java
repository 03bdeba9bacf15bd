package dev.trainyard.accounts;

import java.util.List;
import java.util.Locale;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * A local server (sign-in off) answers only to the names this machine calls itself, so a web page
 * whose DNS name rebinds to 127.0.0.1 reaches nothing.
 *
 * @param allowedHosts host names besides {@code localhost}, {@code 127.0.0.1} and {@code [::1]} the server
 *                     answers to, e.g. the machine's name when {@code server.address} opens it to the network
 */
@ConfigurationProperties("trainyard.local")
public record LocalModeSettings(List<String> allowedHosts) {

    static final List<String> LOOPBACK = List.of("localhost", "127.0.0.1", "[::1]");

    public LocalModeSettings {
        allowedHosts = allowedHosts == null ? List.of()
                : allowedHosts.stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).filter(h -> !h.isEmpty()).toList();
    }

    boolean allows(String host) {
        return LOOPBACK.contains(host) || allowedHosts.contains(host);
    }
}
