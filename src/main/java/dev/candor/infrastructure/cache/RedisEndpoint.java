package dev.candor.infrastructure.cache;

import dev.candor.infrastructure.config.RedisConfig;
import dev.candor.infrastructure.config.Secret;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * Where Redis is and how to reach it, parsed from {@code CANDOR_REDIS_URL} or the sentinel settings: one server
 * ({@code redis://}, {@code rediss://}), a master found through Sentinel ({@code redis-sentinel://}) or a Cluster
 * ({@code redis-cluster://}); the {@code s} variants use TLS. {@link #toString()} never shows the password.
 *
 * @param mode     how the nodes are used
 * @param nodes    the server; the sentinels; or the cluster nodes to discover the cluster from
 * @param master   the master name Sentinel monitors (Sentinel only)
 * @param database the database index (never on Cluster, which has only 0)
 * @param user     ACL user name, if any
 * @param password password of the data nodes, if any
 * @param tls      connect with TLS
 */
public record RedisEndpoint(Mode mode, List<HostAndPort> nodes, Optional<String> master, int database,
                            Optional<String> user, Optional<Secret> password, boolean tls) {

    /** The three ways of running Redis Candor can use. */
    public enum Mode { STANDALONE, SENTINEL, CLUSTER }

    static final String FORMS = "redis://[user:password@]host:port[/db], "
            + "redis-sentinel://[user:password@]host1:26379,host2:26379/<master>[/db] or "
            + "redis-cluster://[user:password@]host1:7000,host2:7001 (rediss, rediss-sentinel, rediss-cluster: TLS)";

    /**
     * Parses {@code url}; {@code password} is used when the URL carries none. Throws naming the accepted forms, never
     * the URL itself (it may hold a password).
     */
    public static RedisEndpoint parse(String url, Optional<Secret> password) {
        int colon = url.indexOf("://");
        String scheme = colon < 0 ? "" : url.substring(0, colon).toLowerCase(java.util.Locale.ROOT);
        boolean tls = scheme.startsWith("rediss");
        return switch (scheme) {
            case "redis", "rediss" -> standalone(url, password);
            case "redis-sentinel", "rediss-sentinel" -> multiNode(Mode.SENTINEL, url.substring(colon + 3), password, tls);
            case "redis-cluster", "rediss-cluster" -> multiNode(Mode.CLUSTER, url.substring(colon + 3), password, tls);
            default -> throw invalid("its scheme is '" + scheme + "'");
        };
    }

    /** The configured endpoint: the URL, or the sentinel settings; never both. */
    public static RedisEndpoint of(RedisConfig redis) {
        boolean sentinelSettings = redis.sentinels().isPresent() || redis.sentinelMaster().isPresent();
        if (redis.url().isPresent()) {
            if (sentinelSettings) {
                throw new IllegalArgumentException("set either CANDOR_REDIS_URL or CANDOR_REDIS_SENTINELS with "
                        + "CANDOR_REDIS_SENTINEL_MASTER, not both");
            }
            return parse(redis.url().get(), redis.password());
        }
        if (redis.sentinels().isEmpty() || redis.sentinelMaster().isEmpty()) {
            throw new IllegalArgumentException("Sentinel needs both CANDOR_REDIS_SENTINELS (host:port,...) and "
                    + "CANDOR_REDIS_SENTINEL_MASTER (the master name)");
        }
        return sentinels(redis.sentinels().get(), redis.sentinelMaster().get(), redis.password());
    }

    /** A master found through the sentinels {@code hosts} ("host:port,host:port"), from the settings. */
    public static RedisEndpoint sentinels(String hosts, String master, Optional<Secret> password) {
        return new RedisEndpoint(Mode.SENTINEL, hostsOf(hosts, 26379), Optional.of(master), 0, Optional.empty(),
                password, false);
    }

    private static RedisEndpoint standalone(String url, Optional<Secret> password) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw invalid("it is not a valid URI");
        }
        if (!JedisURIHelper.isValid(uri)) {
            throw invalid("it names no host and port");
        }
        return new RedisEndpoint(Mode.STANDALONE, List.of(JedisURIHelper.getHostAndPort(uri)), Optional.empty(),
                JedisURIHelper.getDBIndex(uri), Optional.ofNullable(JedisURIHelper.getUser(uri)),
                Optional.ofNullable(JedisURIHelper.getPassword(uri)).map(Secret::new).or(() -> password),
                JedisURIHelper.isRedisSSLScheme(uri));
    }

    /** {@code [user:password@]host:port,host:port[/master[/db]]}: Java's URI does not take several hosts. */
    private static RedisEndpoint multiNode(Mode mode, String rest, Optional<Secret> password, boolean tls) {
        int at = rest.lastIndexOf('@');
        String userInfo = at < 0 ? null : rest.substring(0, at);
        String afterAt = rest.substring(at + 1);
        int slash = afterAt.indexOf('/');
        String hosts = slash < 0 ? afterAt : afterAt.substring(0, slash);
        List<String> path = slash < 0 ? List.of() : Arrays.stream(afterAt.substring(slash + 1).split("/"))
                .filter(p -> !p.isEmpty()).toList();
        Optional<String> user = Optional.empty();
        Optional<Secret> secret = password;
        if (userInfo != null) {
            int split = userInfo.indexOf(':');
            String name = split < 0 ? userInfo : userInfo.substring(0, split);
            user = Optional.of(decode(name)).filter(n -> !n.isEmpty());
            if (split >= 0) {
                secret = Optional.of(new Secret(decode(userInfo.substring(split + 1))));
            }
        }
        if (mode == Mode.CLUSTER) {
            if (!path.isEmpty()) {
                throw invalid("a cluster URL takes no path (Redis Cluster has only database 0)");
            }
            return new RedisEndpoint(mode, hostsOf(hosts, 6379), Optional.empty(), 0, user, secret, tls);
        }
        if (path.isEmpty() || path.size() > 2) {
            throw invalid("a sentinel URL ends with /<master-name>[/db]");
        }
        int database;
        try {
            database = path.size() == 2 ? Integer.parseInt(path.get(1)) : 0;
        } catch (NumberFormatException e) {
            throw invalid("its database index is not a number");
        }
        return new RedisEndpoint(mode, hostsOf(hosts, 26379), Optional.of(decode(path.get(0))), database, user, secret,
                tls);
    }

    private static List<HostAndPort> hostsOf(String hosts, int defaultPort) {
        List<HostAndPort> parsed = Arrays.stream(hosts.split(",")).map(String::strip).filter(h -> !h.isEmpty())
                .map(h -> {
                    int colon = h.lastIndexOf(':');
                    try {
                        return colon < 0 ? new HostAndPort(h, defaultPort)
                                : new HostAndPort(h.substring(0, colon), Integer.parseInt(h.substring(colon + 1)));
                    } catch (NumberFormatException e) {
                        throw invalid("a port is not a number");
                    }
                }).toList();
        if (parsed.isEmpty()) {
            throw invalid("it names no host");
        }
        return parsed;
    }

    /** Percent-decoding as a URI's user info has it (as for redis://): a '+' stays a '+', not a space. */
    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static IllegalArgumentException invalid(String why) {
        return new IllegalArgumentException("CANDOR_REDIS_URL must look like " + FORMS + "; " + why);
    }

    /** For logs and errors: mode, nodes, master and database, never the password. */
    @Override
    public String toString() {
        String where = String.join(",", nodes.stream().map(HostAndPort::toString).toList());
        return switch (mode) {
            case STANDALONE -> where + "/" + database;
            case SENTINEL -> "master '" + master.orElseThrow() + "' (db " + database + ") via sentinels " + where;
            case CLUSTER -> "cluster via " + where;
        } + (tls ? " (TLS)" : "");
    }
}
