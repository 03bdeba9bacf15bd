package dev.trainyard.accounts;

import java.net.InetAddress;
import java.time.Clock;

import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import dev.trainyard.shared.web.Problems;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.server.ConfigurableWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.writers.ContentSecurityPolicyHeaderWriter;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.authentication.logout.LogoutFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.authentication.DelegatingAuthenticationEntryPoint;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import tools.jackson.databind.json.JsonMapper;

/**
 * Who may do what. In local mode (the default) nobody signs in and the server listens on
 * 127.0.0.1 only, answers only to its loopback names and refuses changes from other sites' pages. In team mode ({@code trainyard.auth.enabled}) the dashboard signs in with a
 * form (session and CSRF), scripts send personal API tokens, and roles decide: viewers read,
 * members also launch, cancel, log and upload, admins also manage users.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({AuthSettings.class, LocalModeSettings.class, SignInSettings.class})
class SecurityConfiguration {

    /** Answered with problem+json rather than the sign-in page; /ajax-api is MLflow's second prefix. */
    private static final RequestMatcher API = new OrRequestMatcher(PathPatternRequestMatcher.withDefaults().matcher("/api/**"),
            PathPatternRequestMatcher.withDefaults().matcher("/ajax-api/**"),
            PathPatternRequestMatcher.withDefaults().matcher("/v3/api-docs/**"));

    @Bean
    SecurityFilterChain security(HttpSecurity http, AuthSettings auth, TokenManagement tokens, Accounts accounts,
            LocalModeSettings local, SignInThrottle throttle, JsonMapper json, PasswordEncoder passwords, Clock clock)
            throws Exception {
        if (!auth.enabled()) {
            var problems = new ApiAuthProblems(json, false);
            return http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                    .addFilterBefore(new LocalModeGuard(local, json), CsrfFilter.class)
                    // No sign-in, but the pages' forms and calls still carry a CSRF token, so that no other
                    // page in the browser can make them. A script sends no cookie and no browser headers:
                    // nothing a browser could forge, so it needs no token (and the Python client has none).
                    .csrf(csrf -> csrf.ignoringRequestMatchers(request -> API.matches(request) && fromScript(request)))
                    .exceptionHandling(errors -> errors.accessDeniedHandler(problems))
                    .headers(SecurityConfiguration::contentSecurityPolicy)
                    .build();
        }
        var problems = new ApiAuthProblems(json, true);
        return http
                .authorizeHttpRequests(requests -> requests
                        // Errors and SSE's async dispatches were authorised as the request they belong to.
                        .dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.ASYNC).permitAll()
                        .requestMatchers("/login", "/css/**", "/js/**", "/webjars/**", "/favicon.ico",
                                "/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers("/admin/**", "/actuator/**").hasRole(Role.ADMIN.name())
                        .requestMatchers("/account/**", "/api/v1/me", "/api/v1/tokens/**", "/logout").authenticated()
                        .requestMatchers(HttpMethod.GET, "/**").hasRole(Role.VIEWER.name())
                        .requestMatchers(HttpMethod.HEAD, "/**").hasRole(Role.VIEWER.name())
                        .anyRequest().hasRole(Role.MEMBER.name()))
                .addFilterBefore(new BearerTokenFilter(tokens, problems), UsernamePasswordAuthenticationFilter.class)
                // MLflow's clients send MLFLOW_TRACKING_USERNAME / _PASSWORD as Basic; only its paths take it.
                .addFilterBefore(new MlflowBasicAuthFilter(accounts, passwords, tokens, throttle, problems, clock),
                        UsernamePasswordAuthenticationFilter.class)
                // After CSRF and logout, before anything trusts the session's roles.
                .addFilterAfter(new SessionRecheck(accounts), LogoutFilter.class)
                // CSRF guards what a session cookie allows; a bearer token or a call without any
                // session cannot be forged that way (and the latter then gets its 401, not a 403).
                .csrf(csrf -> csrf.ignoringRequestMatchers(BearerTokenFilter::hasBearer,
                        request -> API.matches(request) && request.getRequestedSessionId() == null))
                .addFilterBefore(new SignInThrottleFilter(throttle), UsernamePasswordAuthenticationFilter.class)
                .formLogin(form -> form.loginPage("/login")
                        .successHandler(SessionRecheck.stampingSuccessHandler(accounts, throttle, "/projects"))
                        .failureHandler(SignInThrottleFilter.countingFailureHandler(throttle)))
                .logout(logout -> logout.logoutSuccessUrl("/login?logout"))
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint(DelegatingAuthenticationEntryPoint.builder()
                                .addEntryPointFor(problems, API)
                                .defaultEntryPoint(new LoginUrlAuthenticationEntryPoint("/login"))
                                .build())
                        .defaultAccessDeniedHandlerFor(problems, API))
                .headers(SecurityConfiguration::contentSecurityPolicy)
                .build();
    }

    /**
     * The pages load scripts and styles only from the server itself (webjars included) and set no inline
     * script or style, so nothing injected into a page could run. Swagger UI, a third party's page, keeps
     * its own ways.
     */
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
            + "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    private static void contentSecurityPolicy(HeadersConfigurer<HttpSecurity> headers) {
        headers.addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(
                new NegatedRequestMatcher(new OrRequestMatcher(PathPatternRequestMatcher.withDefaults().matcher("/swagger-ui/**"),
                        PathPatternRequestMatcher.withDefaults().matcher("/swagger-ui.html"))),
                new ContentSecurityPolicyHeaderWriter(CSP)));
    }

    /** No session cookie and none of the headers browsers add to the requests pages make. */
    private static boolean fromScript(HttpServletRequest request) {
        return request.getRequestedSessionId() == null && request.getHeader(HttpHeaders.ORIGIN) == null
                && request.getHeader("Sec-Fetch-Site") == null && request.getHeader(HttpHeaders.COOKIE) == null;
    }

    /** The API description says how scripts authenticate, so generated clients send the token. */
    @Bean
    OpenApiCustomizer bearerTokens(AuthSettings auth) {
        return api -> {
            if (auth.enabled()) {
                api.getComponents().addSecuritySchemes("token", new SecurityScheme().type(SecurityScheme.Type.HTTP)
                        .scheme("bearer").description("a personal API token from your account page"));
                api.addSecurityItem(new SecurityRequirement().addList("token"));
            }
        };
    }

    /**
     * Spring Security's firewall refuses paths with encoded slashes, {@code ..} segments and the
     * like, in both modes; the client gets a 400 problem saying so rather than a bare error page.
     */
    @Bean
    RequestRejectedHandler rejectedAsProblem(JsonMapper json) {
        return (request, response, rejected) -> Problems.write(response, Problems.of(HttpStatus.BAD_REQUEST, "rejected-path",
                "the address is not allowed: it contains an encoded slash, a '..' segment or another character the server "
                        + "refuses in paths", request.getRequestURI()), json);
    }

    @Bean
    static RoleHierarchy roleHierarchy() {
        return RoleHierarchyImpl.withDefaultRolePrefix()
                .role(Role.ADMIN.name()).implies(Role.MEMBER.name())
                .role(Role.MEMBER.name()).implies(Role.VIEWER.name())
                .build();
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    /** Without sign-in, only this machine may connect, unless {@code server.address} says otherwise. */
    @Bean
    WebServerFactoryCustomizer<ConfigurableWebServerFactory> loopbackWithoutAuth(AuthSettings auth, Environment environment) {
        return factory -> {
            if (!auth.enabled() && !environment.containsProperty("server.address")) {
                factory.setAddress(InetAddress.getLoopbackAddress());
            }
        };
    }
}
