package io.talkline.devstack;

import java.util.EnumSet;

/**
 * Command line of the launcher ({@code ./platform} calls it):
 * {@code infra [components]} · {@code infra-down} · {@code up} · {@code dev <module>}. Stopping and
 * status are the script's own, so that they work without a JDK.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        String command = args.length == 0 ? "" : args[0];
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
                case "dev" -> {
                    // stdout is the JVM options dev mode runs with; what happened goes to stderr
                    java.io.PrintStream out = System.out;
                    System.setOut(System.err);
                    devstack.up(EnumSet.allOf(Component.class));
                    out.println(String.join(" ", platform.replaceForDevMode(args.length > 1 ? args[1] : "")));
                }
                default -> {
                    System.err.println("usage: infra [mariadb,redis,kafka,s3,mongo,turn] | infra-down | up | dev <module>");
                    System.exit(2);
                }
            }
        } catch (IllegalStateException e) {
            System.err.println("[devstack] " + e.getMessage());
            System.exit(1);
        }
    }
}
