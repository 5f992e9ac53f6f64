package io.talkline.devstack;

/** The pieces of local infrastructure devstack makes sure of. */
public enum Component {
    MARIADB,
    REDIS,
    KAFKA,
    S3,
    MONGO,
    TURN;

    public static java.util.EnumSet<Component> parse(String csv) {
        java.util.EnumSet<Component> set = java.util.EnumSet.noneOf(Component.class);
        for (String name : csv.split(",")) {
            if (!name.isBlank()) {
                set.add(valueOf(name.trim().toUpperCase(java.util.Locale.ROOT)));
            }
        }
        return set;
    }
}
