package io.talkline.auth.account;

import java.time.Clock;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;

import org.hibernate.exception.ConstraintViolationException;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.talkline.auth.config.AuthConfig;
import io.talkline.auth.password.Passwords;
import io.talkline.commons.events.AuditLog;
import io.talkline.commons.problem.ProblemException;

@ApplicationScoped
public class AccountService {

    private final Passwords passwords;
    private final Clock clock;
    private final AuthConfig config;
    private final AuditLog audit;

    public AccountService(Passwords passwords, Clock clock, AuthConfig config, AuditLog audit) {
        this.audit = audit;
        this.passwords = passwords;
        this.clock = clock;
        this.config = config;
    }

    /** A new account with the role "user". Taken usernames and e-mails, in any letter case, are 409. */
    public User register(Registration registration) {
        // bcrypt outside the transaction: a slow hash must not hold a connection
        String hash = passwords.hash(registration.password());
        try {
            return insert(registration, hash, EnumSet.of(Role.user));
        } catch (RuntimeException e) {
            // a concurrent registration won the race to the unique index
            if (isUniqueViolation(e)) {
                throw ProblemException.conflict("That username or e-mail address is already taken");
            }
            throw e;
        }
    }

    @Transactional
    User insert(Registration registration, String passwordHash, EnumSet<Role> roles) {
        if (User.count("usernameKey = ?1 or emailKey = ?2", key(registration.username()), key(registration.email())) > 0) {
            throw ProblemException.conflict("That username or e-mail address is already taken");
        }
        User user = new User();
        user.id = UUID.randomUUID().toString();
        user.username = registration.username();
        user.usernameKey = key(registration.username());
        user.email = registration.email().trim();
        user.emailKey = key(registration.email());
        user.displayName = registration.displayName() == null || registration.displayName().isBlank()
                ? registration.username()
                : registration.displayName().strip();
        user.passwordHash = passwordHash;
        user.roles = roles;
        user.createdAt = clock.instant();
        user.persistAndFlush();
        audit.record("auth.user.registered", user.id, user.id, Map.of("userId", user.id, "username", user.username,
                "roles", roles.stream().map(Role::name).sorted().toList()));
        return user;
    }

    public Optional<User> byLogin(String usernameOrEmail) {
        String key = key(usernameOrEmail);
        return User.find(key.contains("@") ? "emailKey" : "usernameKey", key).firstResultOptional();
    }

    /** The first admin of a fresh install, from the environment; never from a committed default. */
    void bootstrapAdmin(@Observes StartupEvent event) {
        AuthConfig.BootstrapAdmin admin = config.bootstrapAdmin();
        if (admin.username().isEmpty() || admin.email().isEmpty() || admin.password().isEmpty()) {
            return;
        }
        if (adminExists()) {
            return;
        }
        Registration registration = new Registration(admin.username().get(), admin.email().get(), admin.password().get(), null);
        insert(registration, passwords.hash(registration.password()), EnumSet.of(Role.user, Role.admin));
        Log.infof("created the bootstrap admin %s", registration.username());
    }

    @Transactional
    boolean adminExists() {
        return User.count("select count(u) from User u join u.roles r where r = ?1", Role.admin) > 0;
    }

    /** The case-folded form usernames and e-mails are unique (and throttled) by. */
    public static String key(String value) {
        return value.trim().toLowerCase(Locale.ROOT);
    }

    private static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConstraintViolationException) {
                return true;
            }
        }
        return false;
    }
}
