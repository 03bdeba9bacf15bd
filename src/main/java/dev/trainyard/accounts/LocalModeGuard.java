package dev.trainyard.accounts;

import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Set;

import dev.trainyard.shared.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Local mode has no sign-in, and binding to 127.0.0.1 does not stop the user's own browser: any page
 * they visit could post to the server, or rebind its DNS name to 127.0.0.1 and read it. So a local
 * server answers only to its own host names, and refuses changes that a browser says come from
 * another site ({@code Origin} of another host or port, {@code Sec-Fetch-Site: cross-site}). Scripts
 * send neither header and are not affected.
 */
final class LocalModeGuard extends OncePerRequestFilter {

    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    private final LocalModeSettings settings;
    private final JsonMapper json;

    LocalModeGuard(LocalModeSettings settings, JsonMapper json) {
        this.settings = settings;
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String host = request.getHeader(HttpHeaders.HOST);
        if (host != null && !settings.allows(hostName(host))) {
            refuse(request, response, "unknown-host", "this local server answers only to localhost, 127.0.0.1 and [::1]"
                    + " (and the names in trainyard.local.allowed-hosts), not to the host name this request was sent to");
            return;
        }
        if (!SAFE.contains(request.getMethod())) {
            String origin = request.getHeader(HttpHeaders.ORIGIN);
            if ("cross-site".equalsIgnoreCase(request.getHeader("Sec-Fetch-Site"))
                    || origin != null && !sameOrigin(origin, host, request)) {
                refuse(request, response, "cross-site", "a change sent from another web site is refused: this local server "
                        + "takes changes only from its own pages and from scripts");
                return;
            }
        }
        chain.doFilter(request, response);
    }

    /** The name part of a Host header: {@code [::1]:8080} → {@code [::1]}, {@code LocalHost:80} → {@code localhost}. */
    static String hostName(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(0, end + 1);
        }
        int colon = h.indexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }

    /** Whether the page that sent this (its Origin) is this server itself: same host name and port. */
    private static boolean sameOrigin(String origin, String host, HttpServletRequest request) {
        if (host == null) {
            return false;
        }
        try {
            URI page = URI.create(origin.strip());
            if (page.getScheme() == null || page.getRawAuthority() == null) {
                return false; // "null": a sandboxed frame, a file, a redirect across sites
            }
            int pagePort = page.getPort() >= 0 ? page.getPort() : "https".equalsIgnoreCase(page.getScheme()) ? 443 : 80;
            String authority = page.getRawAuthority().toLowerCase(Locale.ROOT);
            return hostName(authority).equals(hostName(host)) && pagePort == port(host, request);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static int port(String host, HttpServletRequest request) {
        String h = host.strip();
        int colon = h.lastIndexOf(':');
        if (colon > h.lastIndexOf(']') && colon < h.length() - 1) {
            try {
                return Integer.parseInt(h.substring(colon + 1));
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return "https".equalsIgnoreCase(request.getScheme()) ? 443 : 80;
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, String type, String detail) throws IOException {
        Problems.write(response, Problems.of(HttpStatus.FORBIDDEN, type, detail, request.getRequestURI()), json);
    }
}
