package io.talkline.auth.password;

/**
 * What a login's password check costs per bcrypt cost factor, with the service's own
 * {@link Passwords} (pre-hash + bcrypt). Run by {@code bench/auth.sh}; not a test.
 */
public final class PasswordCostBenchmark {

    public static void main(String[] args) {
        int rounds = Integer.getInteger("rounds", 5);
        for (int cost = 10; cost <= 14; cost++) {
            Passwords passwords = new Passwords(cost);
            String hash = passwords.hash("correct horse battery staple");
            passwords.matches("correct horse battery staple", hash); // warm
            long start = System.nanoTime();
            for (int i = 0; i < rounds; i++) {
                passwords.matches("correct horse battery staple", hash);
            }
            System.out.printf("bcrypt cost %d: %.0f ms per password check%n", cost,
                    (System.nanoTime() - start) / 1e6 / rounds);
        }
    }
}
