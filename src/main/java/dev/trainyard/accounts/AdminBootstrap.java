package dev.trainyard.accounts;

import java.util.Locale;

import dev.trainyard.shared.web.BadRequestException;
import dev.trainyard.shared.TrainyardProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;

/**
 * A new team server's first admin, from {@code TRAINYARD_AUTH_ADMIN_USERNAME} and
 * {@code TRAINYARD_AUTH_ADMIN_PASSWORD}. Refuses to start without a password rather than run a
 * server nobody can sign in to (or one with a well-known password).
 */
@Component
class AdminBootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

    private final AuthSettings settings;
    private final TrainyardProperties properties;
    private final AccountManagement accounts;

    AdminBootstrap(AuthSettings settings, TrainyardProperties properties, AccountManagement accounts) {
        this.settings = settings;
        this.properties = properties;
        this.accounts = accounts;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!settings.enabled() || !properties.role().serves()) {
            return;
        }
        boolean noUsers = accounts.list().isEmpty();
        if (noUsers && (settings.adminPassword() == null || settings.adminPassword().isBlank())) {
            throw new IllegalStateException("trainyard.auth.enabled is true but there is no user yet: set "
                    + "TRAINYARD_AUTH_ADMIN_PASSWORD (and optionally TRAINYARD_AUTH_ADMIN_USERNAME, default 'admin') "
                    + "for the first start; the admin then creates everyone else at /admin/users");
        }
        try {
            if (noUsers && accounts.bootstrapAdmin(settings.adminUsername(), settings.adminPassword())) {
                log.info("Created the first admin, '{}'", settings.adminUsername());
            }
        } catch (BadRequestException e) {
            throw new IllegalStateException("TRAINYARD_AUTH_ADMIN_" + e.field().toUpperCase(Locale.ROOT) + ": " + e.getMessage(), e);
        } catch (DataIntegrityViolationException e) {
            log.info("Another node created the first admin at the same time");
        }
    }
}
