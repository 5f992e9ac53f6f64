package io.talkline.auth.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.talkline.auth.account.AccountService;
import io.talkline.auth.account.User;
import io.talkline.auth.account.UserView;
import io.talkline.auth.config.AuthConfig;
import io.talkline.auth.password.Passwords;
import io.talkline.auth.token.AccessTokens;
import io.talkline.commons.events.AuditLog;
import io.talkline.commons.problem.ProblemException;

/**
 * Logins open sessions; each session is a family of refresh tokens rotated on every refresh. A
 * spent refresh token presented again means it leaked: the whole family is revoked (RFC 9700
 * §4.14, RFC 6819 §5.2.2.3), other sessions of the user live on.
 */
@ApplicationScoped
public class SessionService {

    /** The same answer for an unknown account and a wrong password: no enumeration. */
    private static final String BAD_CREDENTIALS = "Unknown username or wrong password";
    private static final String BAD_REFRESH = "The refresh token is not valid";

    private final AccountService accounts;
    private final Counter loginsFailed;
    private final Counter loginsSucceeded;
    private final Passwords passwords;
    private final AccessTokens accessTokens;
    private final AuthConfig.Token config;
    private final Clock clock;
    private final RevocationStore revocations;
    private final LoginThrottle throttle;
    private final AuditLog audit;
    private final SecureRandom random = new SecureRandom();

    public SessionService(AccountService accounts, Passwords passwords, AccessTokens accessTokens, AuthConfig config,
            Clock clock, RevocationStore revocations, LoginThrottle throttle, AuditLog audit, MeterRegistry metrics) {
        this.audit = audit;
        this.loginsFailed = metrics.counter("talkline_auth_logins_failed_total");
        this.loginsSucceeded = metrics.counter("talkline_auth_logins_succeeded_total");
        this.revocations = revocations;
        this.throttle = throttle;
        this.accounts = accounts;
        this.passwords = passwords;
        this.accessTokens = accessTokens;
        this.config = config.token();
        this.clock = clock;
    }

    public TokenPair login(Credentials credentials, String userAgent, String ip) {
        String login = AccountService.key(credentials.username());
        Optional<User> found = accounts.byLogin(credentials.username());
        // counted as the account once it is known: its name and its e-mail share one budget
        String account = found.map(user -> "user:" + user.id).orElse("name:" + login);
        try {
            throttle.attempt(account, ip);
        } catch (ProblemException throttled) {
            failed(login, found.map(user -> user.id).orElse(null), "throttled");
            throw throttled;
        }
        if (found.isEmpty()) {
            passwords.burnTime(credentials.password());
            failed(login, null, "bad_credentials");
            throw new ProblemException(401, BAD_CREDENTIALS);
        }
        User user = found.get();
        if (!passwords.matches(credentials.password(), user.passwordHash)) {
            failed(login, user.id, "bad_credentials");
            throw new ProblemException(401, BAD_CREDENTIALS);
        }
        throttle.succeeded(account, ip);
        if (user.disabled()) {
            failed(account, user.id, "disabled");
            throw ProblemException.forbidden("This account is disabled");
        }
        return open(user, userAgent, ip);
    }

    /** The login name as typed (normalised), and the account when it exists: for the audit trail only. */
    private void failed(String account, String userId, String reason) {
        loginsFailed.increment();
        audit.record("auth.login.failed", null, userId != null ? userId : account,
                userId != null ? Map.of("login", account, "userId", userId, "reason", reason)
                        : Map.of("login", account, "reason", reason));
    }

    @Transactional
    TokenPair open(User user, String userAgent, String ip) {
        Instant now = clock.instant();
        Session session = new Session();
        session.id = UUID.randomUUID().toString();
        session.userId = user.id;
        session.createdAt = now;
        session.lastRefreshedAt = now;
        session.expiresAt = now.plus(config.refreshTtl());
        session.userAgent = userAgent == null ? null : userAgent.substring(0, Math.min(255, userAgent.length()));
        session.ip = ip;
        session.persist();
        audit.record("auth.login.succeeded", user.id, user.id, Map.of("sessionId", session.id));
        loginsSucceeded.increment();
        Log.infof("login userId=%s sessionId=%s", user.id, session.id);
        return pair(user, session, now);
    }

    /**
     * Rotates: the presented token is spent, a new one of the same family is returned. The hot path
     * is five statements: the token and its session locked together, the user, two updates and the
     * new token (the benchmark target is 500 refreshes/s on two shared cores).
     */
    @Transactional(dontRollbackOn = ProblemException.class)
    public TokenPair refresh(String presented) {
        Instant now = clock.instant();
        EntityManager em = Session.getEntityManager();
        // the row locks serialise two refreshes of one token: the second sees it spent
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select t.expires_at, t.spent_at, s.id, s.user_id, s.revoked_at,"
                + " s.expires_at from refresh_tokens t join sessions s on s.id = t.session_id"
                + " where t.token_hash = ?1 for update").setParameter(1, hash(presented)).getResultList();
        if (rows.isEmpty()) {
            throw new ProblemException(401, BAD_REFRESH);
        }
        Object[] row = rows.getFirst();
        Instant tokenExpires = instant(row[0]);
        String sessionId = (String) row[2];
        String userId = (String) row[3];
        Instant sessionExpires = instant(row[5]);
        if (row[1] != null) {
            Session session = Session.findById(sessionId);
            revoke(session, "refresh_reuse", now);
            audit.record("auth.refresh.reuse_detected", null, userId, Map.of("userId", userId, "sessionId", sessionId));
            Log.warnf("refresh token reuse: session revoked userId=%s sessionId=%s", userId, sessionId);
            throw new ProblemException(401, BAD_REFRESH);
        }
        if (row[4] != null || !now.isBefore(sessionExpires) || !now.isBefore(tokenExpires)) {
            throw new ProblemException(401, BAD_REFRESH);
        }
        User user = User.<User> find("from User u left join fetch u.roles where u.id = ?1", userId).firstResult();
        if (user == null || user.disabled()) {
            throw new ProblemException(401, BAD_REFRESH);
        }
        em.createNativeQuery("update refresh_tokens set spent_at = ?1 where token_hash = ?2").setParameter(1, now)
                .setParameter(2, hash(presented)).executeUpdate();
        em.createNativeQuery("update sessions set last_refreshed_at = ?1 where id = ?2").setParameter(1, now)
                .setParameter(2, sessionId).executeUpdate();
        return pair(user, sessionId, sessionExpires, now);
    }

    private static Instant instant(Object column) {
        return column instanceof java.sql.Timestamp ts ? ts.toInstant()
                : column instanceof java.time.LocalDateTime ldt ? ldt.toInstant(java.time.ZoneOffset.UTC)
                        : (Instant) column;
    }

    /** The session's refresh tokens (database) and access tokens (Redis) stop working at once. */
    void revoke(Session session, String reason, Instant now) {
        if (session.revokedAt == null) {
            session.revokedAt = now;
            session.revokedReason = reason;
        }
        revocations.session(session.id);
    }

    @Transactional
    public java.util.List<SessionView> active(String userId, String currentSessionId) {
        Instant now = clock.instant();
        java.util.List<Session> sessions = Session.list(
                "userId = ?1 and revokedAt is null and expiresAt > ?2 order by createdAt",
                userId, now);
        return sessions.stream().map(s -> new SessionView(s.id, s.createdAt, s.lastRefreshedAt, s.expiresAt, s.userAgent,
                s.ip, s.id.equals(currentSessionId))).toList();
    }

    /** Ends one of the caller's sessions; someone else's is not found. */
    @Transactional
    public void end(String userId, String sessionId) {
        Session session = Session.findById(sessionId);
        if (session == null || !session.userId.equals(userId) || session.revokedAt != null) {
            throw ProblemException.notFound("No such session");
        }
        revoke(session, "ended", clock.instant());
        audit.record("auth.session.ended", userId, userId, Map.of("sessionId", sessionId));
    }

    /** Logout: this access token and its session. */
    @Transactional
    public void logout(io.talkline.commons.auth.VerifiedToken token) {
        revocations.token(token.tokenId(), token.expiresAt());
        if (token.sessionId() != null) {
            Session session = Session.findById(token.sessionId());
            if (session != null && session.userId.equals(token.userId())) {
                revoke(session, "logout", clock.instant());
            }
        }
        audit.record("auth.logout", token.userId(), token.userId(),
                token.sessionId() == null ? Map.of() : Map.of("sessionId", token.sessionId()));
        Log.infof("logout userId=%s sessionId=%s", token.userId(), token.sessionId());
    }

    /** Logout everywhere: every session, and every access token issued until now. */
    @Transactional
    public void logoutAll(String userId) {
        Instant now = clock.instant();
        revocations.userNotBefore(userId);
        int ended = Session.update("revokedAt = ?1, revokedReason = 'logout_all' where userId = ?2 and revokedAt is null",
                now, userId);
        audit.record("auth.logout_all", userId, userId, Map.of("sessionsEnded", ended));
        Log.infof("logout-all userId=%s", userId);
    }

    private TokenPair pair(User user, Session session, Instant now) {
        return pair(user, session.id, session.expiresAt, now);
    }

    private TokenPair pair(User user, String sessionId, Instant sessionExpiresAt, Instant now) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String refresh = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        RefreshToken token = new RefreshToken();
        token.tokenHash = hash(refresh);
        token.sessionId = sessionId;
        token.issuedAt = now;
        token.expiresAt = sessionExpiresAt;
        token.persist();
        long refreshSeconds = Math.max(0, sessionExpiresAt.getEpochSecond() - now.getEpochSecond());
        return new TokenPair(accessTokens.issue(user, sessionId), refresh, "Bearer", accessTokens.ttlSeconds(),
                refreshSeconds, UserView.full(user));
    }

    static String hash(String token) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
