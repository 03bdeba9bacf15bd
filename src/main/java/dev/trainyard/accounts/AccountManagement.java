package dev.trainyard.accounts;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.regex.Pattern;

import dev.trainyard.shared.web.BadRequestException;
import jakarta.servlet.http.HttpSession;
import dev.trainyard.shared.web.NotFoundException;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The people of a team server: sign-in lookups, and what the admin page changes. */
@Service
public class AccountManagement implements UserDetailsService {

    static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._-]{2,64}");
    static final int MIN_PASSWORD = 8;
    /** bcrypt reads only the first 72 bytes; a longer password would silently lose its tail. */
    static final int MAX_PASSWORD_BYTES = 72;

    private final Accounts accounts;
    private final PasswordEncoder passwords;
    private final Clock clock;

    AccountManagement(Accounts accounts, PasswordEncoder passwords, Clock clock) {
        this.accounts = accounts;
        this.passwords = passwords;
        this.clock = clock;
    }

    @Override
    @Transactional(readOnly = true)
    public UserDetails loadUserByUsername(String username) {
        return accounts.findByUsername(username).map(AccountManagement::details)
                .orElseThrow(() -> new UsernameNotFoundException("no user " + username));
    }

    /** What Spring Security knows of an account; the role hierarchy grants the lesser roles. */
    static UserDetails details(Account account) {
        return User.withUsername(account.getUsername()).password(account.getPasswordHash())
                .roles(account.getRole().name()).disabled(!account.isEnabled()).build();
    }

    @Transactional(readOnly = true)
    public List<Account> list() {
        return accounts.findAllByOrderByUsername();
    }

    @Transactional
    public Account create(String username, String password, Role role) {
        String name = username == null ? "" : username.strip();
        if (!USERNAME.matcher(name).matches()) {
            throw new BadRequestException("username", "2 to 64 letters, digits, dots, dashes or underscores");
        }
        checkPassword(password);
        if (role == null) {
            throw new BadRequestException("role", "choose viewer, member or admin");
        }
        if (accounts.findByUsername(name).isPresent()) {
            throw new BadRequestException("username", "'" + name + "' is taken");
        }
        return accounts.save(new Account(name, passwords.encode(password), role, clock.instant()));
    }

    /** Changes a role or disables an account, but never leaves the server without an admin. */
    @Transactional
    public Account update(long id, Role role, boolean enabled) {
        Account account = accounts.findById(id).orElseThrow(() -> new NotFoundException("user", String.valueOf(id)));
        boolean losesAdmin = account.getRole() == Role.ADMIN && account.isEnabled() && (role != Role.ADMIN || !enabled);
        if (losesAdmin && accounts.countByRoleAndEnabledTrue(Role.ADMIN) <= 1) {
            throw new BadRequestException("role", account.getUsername() + " is the last admin; make someone else admin first");
        }
        account.setRole(role);
        account.setEnabled(enabled);
        return account;
    }

    @Transactional
    public void changePassword(String username, String current, String next) {
        Account account = accounts.findByUsername(username).orElseThrow(() -> new NotFoundException("user", username));
        if (current == null || !passwords.matches(current, account.getPasswordHash())) {
            throw new BadRequestException("current", "that is not your current password");
        }
        checkPassword(next);
        account.setPasswordHash(passwords.encode(next));
    }

    /**
     * Every session signed in with the old password ends on its next request ({@link SessionRecheck});
     * this keeps the one that made the change.
     */
    @Transactional(readOnly = true)
    public void keepSignedIn(HttpSession session, String username) {
        accounts.findByUsername(username).ifPresent(account -> session.setAttribute(SessionRecheck.PASSWORD_STAMP,
                SessionRecheck.stamp(account)));
    }

    /** The first admin of a new server; false when there are users already. */
    @Transactional
    boolean bootstrapAdmin(String username, String password) {
        if (accounts.count() > 0) {
            return false;
        }
        create(username, password, Role.ADMIN);
        return true;
    }

    private static void checkPassword(String password) {
        if (password == null || password.length() < MIN_PASSWORD) {
            throw new BadRequestException("password", "at least " + MIN_PASSWORD + " characters");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            throw new BadRequestException("password", "at most " + MAX_PASSWORD_BYTES + " bytes (bcrypt ignores the rest)");
        }
    }
}
