package dev.trainyard.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A team server ({@code trainyard.auth.enabled}) driven the way its people use it: an admin signs
 * in and creates users on the admin page, users sign in and make tokens on their account page.
 */
public final class TeamServer {

    private static final Pattern FORM_CSRF = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"");
    private static final Pattern META_CSRF = Pattern.compile("<meta name=\"_csrf\" content=\"([^\"]+)\"");
    private static final Pattern SECRET = Pattern.compile("id=\"issued-secret\">(ty_[^<]+)<");

    private final int port;
    private final String admin;
    private final String adminPassword;

    public TeamServer(int port, String admin, String adminPassword) {
        this.port = port;
        this.admin = admin;
        this.adminPassword = adminPassword;
    }

    /** A browser session after the sign-in form. */
    public Api signIn(String username, String password) {
        var browser = Api.withCookies(port);
        var response = browser.form("/login", Map.of("username", username, "password", password,
                "_csrf", csrf(browser.get("/login").body())));
        assertThat(response.header("Location")).as("signed in as " + username).endsWith("/projects");
        return browser;
    }

    public Api signInAsAdmin() {
        return signIn(admin, adminPassword);
    }

    /** Created on the admin page, with its CSRF token; role is VIEWER, MEMBER or ADMIN. */
    public void createUser(String username, String password, String role) {
        var session = signInAsAdmin();
        var created = session.form("/admin/users", Map.of("username", username, "password", password, "role", role,
                "_csrf", csrf(session.get("/admin/users").body())));
        assertThat(created.status()).as(created.body()).isEqualTo(302);
    }

    /** A token made on the account page, read off the one page that shows it. */
    public String token(Api session) {
        var created = session.form("/account/tokens", Map.of("name", "script", "_csrf", csrf(session.get("/account").body())));
        assertThat(created.status()).isEqualTo(302);
        Matcher secret = SECRET.matcher(session.get("/account").body());
        assertThat(secret.find()).as("the new token on the account page").isTrue();
        assertThat(session.get("/account").body()).as("shown once").doesNotContain(secret.group(1));
        return secret.group(1);
    }

    /** A new user's script: the user, signed in once to make a token, and an API client with it. */
    public Api script(String username, String password, String role) {
        createUser(username, password, role);
        return Api.withToken(port, token(signIn(username, password)));
    }

    /** The CSRF token of a page: its first form's hidden field, or the head's meta tag. */
    public static String csrf(String html) {
        Matcher form = FORM_CSRF.matcher(html);
        if (form.find()) {
            return form.group(1);
        }
        Matcher meta = META_CSRF.matcher(html);
        assertThat(meta.find()).as("a CSRF token in the page").isTrue();
        return meta.group(1);
    }
}
