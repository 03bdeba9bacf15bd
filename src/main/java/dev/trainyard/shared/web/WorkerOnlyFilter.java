package dev.trainyard.shared.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/** On a worker node ({@code trainyard.role=worker}) only health and metrics answer. */
class WorkerOnlyFilter extends OncePerRequestFilter {

    private final JsonMapper json;

    WorkerOnlyFilter(JsonMapper json) {
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getRequestURI().startsWith("/actuator")) {
            chain.doFilter(request, response);
            return;
        }
        Problems.write(response, Problems.of(HttpStatus.NOT_FOUND, "worker-node",
                "this node only trains (trainyard.role=worker); use a web node for the API and the dashboard",
                request.getRequestURI()), json);
    }
}
