package dev.candor.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command line of {@link WebSocketBenchmark}: which scenarios, their sizes, and where the provisioned server, the WAR
 * and the scratch folder are.
 */
record BenchOptions(boolean storm, boolean steady, List<Integer> stormSizes, int steadyClients, int holdSeconds,
        Path server, Path war, Path work, String serverJavaOpts, boolean flightRecording) {

    static final String USAGE = """
            usage: WebSocketBenchmark [storm|steady|all] [--quick] [--storm-sizes=1000,5000] [--steady-clients=10000]
                                      [--hold-seconds=60] [--server=target/server] [--war=target/candor.war]
                                      [--work=target/bench] [--server-java-opts="..."] [--jfr]
              --quick   storm N=200 and N=1000, steady 1,000 clients held 10 s
              --jfr     record each server with Java Flight Recorder into <work>/<scenario>/server.jfr""";

    static final String DEFAULT_SERVER_JAVA_OPTS = "-Xms512m -Xmx2g -XX:+UseG1GC -Djava.net.preferIPv4Stack=true "
            + "-Djboss.modules.system.pkgs=org.jboss.byteman -Djava.awt.headless=true";

    static BenchOptions parse(String... args) {
        String which = "all";
        List<Integer> sizes = List.of(1000, 5000);
        int clients = 10_000;
        int hold = 60;
        Path server = Path.of("target/server");
        Path war = Path.of("target/candor.war");
        Path work = Path.of("target/bench");
        String javaOpts = DEFAULT_SERVER_JAVA_OPTS;
        boolean jfr = false;
        for (String arg : args) {
            String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : "";
            if (List.of("storm", "steady", "all").contains(arg)) {
                which = arg;
            } else if (arg.equals("--quick")) {
                sizes = List.of(200, 1000);
                clients = 1000;
                hold = 10;
            } else if (arg.startsWith("--storm-sizes=")) {
                sizes = sizes(value);
            } else if (arg.startsWith("--steady-clients=")) {
                clients = Integer.parseInt(value);
            } else if (arg.startsWith("--hold-seconds=")) {
                hold = Integer.parseInt(value);
            } else if (arg.startsWith("--server=")) {
                server = Path.of(value);
            } else if (arg.startsWith("--war=")) {
                war = Path.of(value);
            } else if (arg.startsWith("--work=")) {
                work = Path.of(value);
            } else if (arg.equals("--jfr")) {
                jfr = true;
            } else if (arg.startsWith("--server-java-opts=")) {
                javaOpts = value;
            } else {
                throw new IllegalArgumentException("unknown argument '" + arg + "'\n" + USAGE);
            }
        }
        return new BenchOptions(!which.equals("steady"), !which.equals("storm"), sizes, clients, hold,
                server.toAbsolutePath(), war.toAbsolutePath(), work.toAbsolutePath(), javaOpts, jfr);
    }

    private static List<Integer> sizes(String list) {
        List<Integer> sizes = new ArrayList<>();
        for (String size : list.split(",")) {
            sizes.add(Integer.parseInt(size.strip()));
        }
        return List.copyOf(sizes);
    }
}
