package io.talkline.auth.session;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.redis.datasource.RedisDataSource;
import io.talkline.auth.config.AuthConfig;
import io.talkline.commons.problem.ProblemException;
import io.vertx.mutiny.redis.client.Response;

/**
 * Failed logins per account and per client address, and registrations per address, in Redis
 * (every auth-service instance sees the same counts). An attempt is counted before the password is
 * checked, in the same script that decides whether it may go on, so a parallel burst gets no more
 * tries than a sequence; a success takes its count back. From the last free attempt on, each
 * attempt sets a doubling lock-out, up to a ceiling. The account is the user once known (name and
 * e-mail count as one), else the typed name: the answer never tells whether it exists. IPv6
 * clients are counted per /64, the block one subscriber usually holds.
 */
@ApplicationScoped
public class LoginThrottle {

    /**
     * KEYS: account count, account lock, address count, address lock. ARGV: window ms, free per
     * account, free per address, longest lock ms. Returns 0 (go on) or the ms to wait.
     */
    private static final String ATTEMPT = """
            local wait = math.max(redis.call('PTTL', KEYS[2]), redis.call('PTTL', KEYS[4]))
            if wait > 0 then return wait end
            local function count(countKey, lockKey, free)
              local n = redis.call('INCR', countKey)
              redis.call('PEXPIRE', countKey, ARGV[1])
              if n >= free then
                local lock = math.min(tonumber(ARGV[4]), 1000 * 2 ^ math.min(20, n - free))
                redis.call('SET', lockKey, n, 'PX', math.floor(lock))
              end
            end
            count(KEYS[1], KEYS[2], tonumber(ARGV[2]))
            count(KEYS[3], KEYS[4], tonumber(ARGV[3]))
            return 0
            """;

    /** KEYS: the address's registration count. ARGV: window ms, limit. Returns 0 or the ms to wait. */
    private static final String REGISTRATION = """
            local n = redis.call('INCR', KEYS[1])
            if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
            if n > tonumber(ARGV[2]) then return math.max(1, redis.call('PTTL', KEYS[1])) end
            return 0
            """;

    /** KEYS: account count, account lock, address count. */
    private static final String SUCCEEDED = """
            redis.call('DEL', KEYS[1], KEYS[2])
            if tonumber(redis.call('GET', KEYS[3]) or '0') > 0 then redis.call('DECR', KEYS[3]) end
            return 0
            """;

    private final RedisDataSource redis;
    private final AuthConfig.Throttle config;

    public LoginThrottle(RedisDataSource redis, AuthConfig config) {
        this.redis = redis;
        this.config = config.throttle();
    }

    /** Counts a login attempt; 429 with Retry-After while the account or the address is locked out. */
    public void attempt(String account, String address) {
        String client = clientKey(address);
        long wait = eval(ATTEMPT, new String[] { countKey("acct", account), lockKey("acct", account),
                countKey("ip", client), lockKey("ip", client) }, config.window().toMillis(),
                config.freeAttemptsPerAccount(), config.freeAttemptsPerAddress(), config.maxLockout().toMillis());
        if (wait > 0) {
            throw tooMany("Too many failed logins", wait);
        }
    }

    /** The attempt was right: the account starts afresh and the address gets its try back. */
    public void succeeded(String account, String address) {
        String client = clientKey(address);
        eval(SUCCEEDED, new String[] { countKey("acct", account), lockKey("acct", account), countKey("ip", client) });
    }

    /** Counts a registration from the address (before any hashing); 429 past the limit. */
    public void registration(String address) {
        long wait = eval(REGISTRATION, new String[] { "auth:registrations:ip:" + clientKey(address) },
                config.registrationWindow().toMillis(), config.registrationsPerAddress());
        if (wait > 0) {
            throw tooMany("Too many registrations from this address", wait);
        }
    }

    private long eval(String script, String[] keys, long... args) {
        String[] command = new String[2 + keys.length + args.length];
        command[0] = script;
        command[1] = Integer.toString(keys.length);
        System.arraycopy(keys, 0, command, 2, keys.length);
        for (int i = 0; i < args.length; i++) {
            command[2 + keys.length + i] = Long.toString(args[i]);
        }
        Response answer = redis.execute("EVAL", command);
        return answer == null ? 0 : answer.toLong();
    }

    private static ProblemException tooMany(String what, long waitMillis) {
        long seconds = Math.max(1, (waitMillis + 999) / 1000);
        return new ProblemException(429, what + "; retry in " + seconds + " s").withHeader("Retry-After",
                Long.toString(seconds));
    }

    /** IPv4 as it is; IPv6 by its /64 (one subscriber holds a whole /64 and can pick any address in it). */
    static String clientKey(String address) {
        if (address == null || address.isBlank()) {
            return "unknown";
        }
        if (!address.contains(":")) {
            return address;
        }
        try {
            byte[] bytes = InetAddress.getByName(address).getAddress();
            if (bytes.length != 16) {
                return address;
            }
            Arrays.fill(bytes, 8, 16, (byte) 0);
            return InetAddress.getByAddress(bytes).getHostAddress() + "/64";
        } catch (UnknownHostException e) {
            return address;
        }
    }

    private static String countKey(String kind, String who) {
        return "auth:login-failures:" + kind + ":" + who;
    }

    private static String lockKey(String kind, String who) {
        return "auth:login-lock:" + kind + ":" + who;
    }
}
