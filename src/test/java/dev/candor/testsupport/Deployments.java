package dev.candor.testsupport;

import dev.candor.testsupport.llm.LlmProviderStub;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * Builds test deployments from the real WAR the build produced, plus a small library whose
 * microprofile-config.properties (ordinal 500, above environment variables) holds the test's settings.
 */
public final class Deployments {

    /** Config key under which in-container tests find the LLM stub's control API. */
    public static final String STUB_CONTROL = "candor.test.stub-control";

    private Deployments() {
    }

    /**
     * The real WAR with {@code config}, the test support classes and the calling test class. Every test runs as the
     * one user {@code anonymous} from one address, so the per-user and per-address limits are raised out of the way
     * unless {@code config} sets them (the limit tests do).
     */
    public static WebArchive candor(Map<String, String> config) {
        Class<?> testClass = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).getCallerClass();
        Map<String, String> settings = withLimitsRaised(config);
        File war = new File(System.getProperty("candor.war", "target/candor.war"));
        WebArchive archive = ShrinkWrap.createFromZipFile(WebArchive.class, war);
        JavaArchive library = ShrinkWrap.create(JavaArchive.class, "candor-test-config.jar")
                .addAsManifestResource(new StringAsset(properties(settings)), "microprofile-config.properties");
        return archive.addAsLibrary(library)
                .addPackages(true, "dev.candor.testsupport")
                .addClass(testClass);
    }

    /** {@code config} with every per-user and per-address limit it does not set raised out of the way. */
    public static Map<String, String> withLimitsRaised(Map<String, String> config) {
        Map<String, String> settings = new LinkedHashMap<>(config);
        for (String limit : new String[] {"messages", "concurrent-runs", "connections-per-user", "connections-per-ip",
                "resumes", "daily-tokens"}) {
            settings.putIfAbsent("candor.limits." + limit, "1000000");
        }
        return settings;
    }

    /** Settings for a deployment whose LLM is {@code stub}, speaking the OpenAI protocol, with a local Redis. */
    public static Map<String, String> withStub(LlmProviderStub stub) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("candor.environment", "test");
        config.put("candor.llm.provider", "openai");
        config.put("candor.llm.base-url", stub.openAiBaseUrl().toString());
        config.put("candor.llm.model", "stub-model");
        config.put("candor.llm.api-key", "test-key");
        config.put("candor.llm.check-timeout-ms", "5000");
        config.put("candor.health.refresh-interval-ms", "1000");
        config.put(STUB_CONTROL, stub.controlBaseUrl().toString());
        return config;
    }

    private static String properties(Map<String, String> config) {
        Properties properties = new Properties();
        properties.setProperty("config_ordinal", "500");
        properties.putAll(config);
        StringWriter out = new StringWriter();
        try {
            properties.store(out, "test settings");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
