package io.talkline.auth.account;

import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import jakarta.validation.Validator;

import org.hibernate.exception.ConstraintViolationException;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.talkline.auth.config.AuthConfig;
import io.talkline.auth.password.Passwords;
import io.talkline.auth.session.LoginThrottle;
import io.talkline.commons.events.AuditLog;
import io.talkline.commons.problem.ProblemException;

@ApplicationScoped
public class AccountService {

    /** What a username may be (Registration's rule), case-folded. */
    private static final java.util.regex.Pattern USERNAME = java.util.regex.Pattern.compile("[a-z0-9_.-]{3,32}");

    private final Passwords passwords;
    private final Clock clock;
    private final AuthConfig config;
    private final AuditLog audit;
    private final LoginThrottle throttle;
    private final Validator validator;

    public AccountService(Passwords passwords, Clock clock, AuthConfig config, AuditLog audit, LoginThrottle throttle,
            Validator validator) {
        this.throttle = throttle;
        this.validator = validator;
        this.audit = audit;
        this.passwords = passwords;
        this.clock = clock;
        this.config = config;
    }

    /**
     * A new account with the role "user". Taken usernames and e-mails, in any letter case, are 409.
     * Registrations are counted per address and the name checked before the password is hashed: a
     * hash is the expensive part, and a flood of them must not cost more than a refusal.
     */
    public User register(Registration registration, String address) {
        throttle.registration(address);
        if (taken(registration)) {
            throw ProblemException.conflict("That username or e-mail address is already taken");
        }
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
    boolean taken(Registration registration) {
        return User.count("usernameKey = ?1 or emailKey = ?2", key(registration.username()), key(registration.email())) > 0;
    }

    @Transactional
    User insert(Registration registration, String passwordHash, EnumSet<Role> roles) {
        if (taken(registration)) {
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
        if (!key.contains("@") && !USERNAME.matcher(key).matches()) {
            return Optional.empty(); // no username looks like this (and the column holds ASCII only)
        }
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
        checkBootstrapAdmin(registration, validator);
        insert(registration, passwords.hash(registration.password()), EnumSet.of(Role.user, Role.admin));
        Log.infof("created the bootstrap admin %s", registration.username());
    }

    /**
     * The first admin is held to the same rules as everyone (a short password in the environment
     * would otherwise become the most powerful account): the service does not start with a bad one.
     */
    static void checkBootstrapAdmin(Registration registration, Validator validator) {
        List<String> problems = validator.validate(registration).stream()
                .map(violation -> violation.getPropertyPath() + ": " + violation.getMessage()).sorted().toList();
        if (!problems.isEmpty()) {
            throw new IllegalStateException("PLATFORM_BOOTSTRAP_ADMIN_* (auth.bootstrap-admin) is not a valid account: "
                    + String.join("; ", problems));
        }
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
