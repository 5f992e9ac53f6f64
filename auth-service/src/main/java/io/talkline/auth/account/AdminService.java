package io.talkline.auth.account;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.quarkus.logging.Log;
import io.talkline.auth.session.RevocationStore;
import io.talkline.auth.session.Session;
import io.talkline.commons.events.AuditLog;
import io.talkline.commons.problem.ProblemException;

/** Role changes, disabling and user search: what admins and moderators do to accounts. */
@ApplicationScoped
public class AdminService {

    private static final int SEARCH_LIMIT = 20;

    private final RevocationStore revocations;
    private final java.time.Clock clock;
    private final AuditLog audit;

    public AdminService(RevocationStore revocations, java.time.Clock clock, AuditLog audit) {
        this.revocations = revocations;
        this.clock = clock;
        this.audit = audit;
    }

    /** Case-insensitive prefix match on username or display name; public profiles only. */
    @Transactional
    public List<User> search(String query) {
        String prefix = query.trim().toLowerCase(java.util.Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%")
                .replace("_", "\\_") + "%";
        return User.find("usernameKey like ?1 or lower(displayName) like ?1 order by usernameKey", prefix)
                .page(0, SEARCH_LIMIT).list();
    }

    /**
     * Replaces the role set; "user" always stays. Tokens carrying the old roles stop working at once
     * (per-user not-before); sessions live on, so the next refresh brings the new roles.
     */
    @Transactional
    public User replaceRoles(String userId, Set<Role> roles, String actorId) {
        User user = found(userId);
        EnumSet<Role> next = EnumSet.of(Role.user);
        next.addAll(roles);
        List<String> before = user.roles.stream().map(Role::name).sorted().toList();
        user.roles.clear();
        user.roles.addAll(next);
        revocations.userNotBefore(user.id);
        audit.record("auth.roles.changed", actorId, user.id, Map.of("userId", user.id, "before", before, "after",
                next.stream().map(Role::name).sorted().toList()));
        Log.infof("roles changed userId=%s roles=%s actorId=%s", user.id, next, actorId);
        return user;
    }

    /** Disabling ends every session and every access token of the user at once. */
    @Transactional
    public User setDisabled(String userId, boolean disabled, String reason, String actorId, boolean actorIsAdmin) {
        User user = found(userId);
        if (!actorIsAdmin && (user.roles.contains(Role.admin) || user.roles.contains(Role.moderator))) {
            throw ProblemException.forbidden("Moderators may not disable moderators or admins");
        }
        if (disabled) {
            user.disabledAt = clock.instant();
            user.disabledReason = reason;
            revocations.userNotBefore(user.id);
            Session.update("revokedAt = ?1, revokedReason = 'disabled' where userId = ?2 and revokedAt is null",
                    clock.instant(), user.id);
            audit.record("auth.user.disabled", actorId, user.id, reason == null ? Map.of("userId", user.id)
                    : Map.of("userId", user.id, "reason", reason));
        } else {
            user.disabledAt = null;
            user.disabledReason = null;
            audit.record("auth.user.enabled", actorId, user.id, Map.of("userId", user.id));
        }
        Log.infof("user %s userId=%s actorId=%s", disabled ? "disabled" : "enabled", user.id, actorId);
        return user;
    }

    private static User found(String userId) {
        User user = User.findById(userId);
        if (user == null) {
            throw ProblemException.notFound("No such user");
        }
        return user;
    }
}
