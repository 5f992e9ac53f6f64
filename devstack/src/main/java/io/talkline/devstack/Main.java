package io.talkline.devstack;

import java.util.EnumSet;
import java.util.Map;

/**
 * Command line of the launcher ({@code ./platform} calls it):
 * {@code infra [components]} · {@code infra-down} · {@code up} · {@code down} · {@code status}.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        String command = args.length == 0 ? "status" : args[0];
        int gatewayPort = Integer.parseInt(System.getenv().getOrDefault("TALKLINE_GATEWAY_PORT", "8080"));
        Devstack devstack = Devstack.shared();
        Platform platform = new Platform(devstack.runDir(), gatewayPort);
        try {
            switch (command) {
                case "infra" -> devstack.up(args.length > 1 ? Component.parse(args[1]) : EnumSet.noneOf(Component.class));
                case "infra-down" -> devstack.down();
                case "up" -> {
                    devstack.up(EnumSet.allOf(Component.class));
                    platform.up();
                }
                case "down" -> {
                    platform.down();
                    devstack.down();
                }
                case "status" -> {
                    print(devstack.status());
                    print(platform.status());
                }
                default -> {
                    System.err.println("usage: infra [mariadb,redis,kafka,s3,mongo,turn] | infra-down | up | down | status");
                    System.exit(2);
                }
            }
        } catch (IllegalStateException e) {
            System.err.println("[devstack] " + e.getMessage());
            System.exit(1);
        }
    }

    private static void print(Map<?, String> status) {
        status.forEach((name, state) -> System.out.printf("  %-22s %s%n", name.toString().toLowerCase(), state));
    }
}
