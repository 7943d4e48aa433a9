package dev.candor.application.startup;

/** An external system Candor needs, and the startup phase that owns it: the phase that connects to it. */
public enum Dependency {
    LLM(Phase.DEPENDENCIES, "the AI provider"),
    DATABASE(Phase.DATABASE, "the database"),
    REDIS(Phase.CACHE, "the cache (Redis)");

    private final Phase owner;
    private final String userName;

    Dependency(Phase owner, String userName) {
        this.owner = owner;
        this.userName = userName;
    }

    public Phase owner() {
        return owner;
    }

    /** How a message to a user names it. */
    public String userName() {
        return userName;
    }

    /** How a message to a user names what a phase provides. */
    public static String userName(Phase phase) {
        for (Dependency dependency : values()) {
            if (dependency.owner == phase) {
                return dependency.userName;
            }
        }
        return "Candor's services";
    }
}
