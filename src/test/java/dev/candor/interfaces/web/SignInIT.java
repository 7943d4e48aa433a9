package dev.candor.interfaces.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.testsupport.Browser;
import dev.candor.testsupport.Deployments;
import dev.candor.testsupport.Http;
import dev.candor.testsupport.Keycloak;
import dev.candor.testsupport.llm.LlmProviderStub;
import dev.candor.testsupport.llm.Script;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The page's sign-in in a real headless Chromium against the build's Keycloak (realm {@code candor}, public client
 * {@code candor-web}, authorization code with PKCE): to the provider's login form and back signed in, a chat over the
 * ticketed WebSocket with bearer-token REST calls, then sign-out at the provider. Screenshots go to
 * target/e2e-screenshots/signin-*.png.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SignInIT {

    private static final LlmProviderStub STUB = LlmProviderStub.shared();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String PAGE_CLIENT = "candor-web";
    private static Browser browser;

    @Deployment(testable = false)
    static WebArchive deployment() {
        Map<String, String> config = new HashMap<>(Deployments.withStub(STUB));
        config.putAll(Keycloak.candorSettings());
        return Deployments.candor(config);
    }

    /** Seconds the page's access tokens live here: oidc-client-ts renews 60 s before expiry, so every ~5 s. */
    private static final String SHORT_LIFESPAN = "65";

    @BeforeAll
    static void openBrowser() {
        Keycloak.clientAttribute(PAGE_CLIENT, "access.token.lifespan", SHORT_LIFESPAN);
        browser = Browser.open(1280, 900);
    }

    @AfterAll
    static void closeBrowser() {
        Keycloak.clientAttribute(PAGE_CLIENT, "access.token.lifespan", null);
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    @Order(1)
    void thePageAllowsTheProviderInItsPolicyAndAnnouncesOidc() {
        HttpResponse<String> page = Http.get(Http.APP);
        String policy = page.headers().firstValue("Content-Security-Policy").orElse("");
        String origin = URI.create(Keycloak.url()).resolve("/").toString().replaceAll("/$", "");
        assertTrue(policy.contains("connect-src 'self' ws://127.0.0.1:8080 wss://127.0.0.1:8080 " + origin), policy);
        assertTrue(policy.contains("script-src 'self';"), policy);
        String config = Http.get(Http.APP.resolve("api/client-config")).body();
        assertTrue(config.contains("\"auth_mode\":\"oidc\"") && config.contains("candor-web"), config);
    }

    @Test
    @Order(2)
    void signsInAtTheProviderAndComesBackShowingTheUser() {
        browser.get(Http.APP.toString());
        browser.waiting(WAIT).until(d -> d.getCurrentUrl().startsWith(Keycloak.issuer())
                && !d.findElements(org.openqa.selenium.By.id("username")).isEmpty());
        String login = browser.driver().getCurrentUrl();
        assertTrue(login.contains("code_challenge=") && login.contains("code_challenge_method=S256"), login);
        assertTrue(login.contains("client_id=candor-web"), login);
        browser.screenshot("signin-provider");

        browser.find("#username").sendKeys("alice");
        browser.find("#password").sendKeys("alice-password");
        browser.find("#kc-login").click();

        browser.waiting(WAIT).until(d -> d.getCurrentUrl().startsWith(Http.APP.toString())
                && "signed-in".equals(browser.find("#account").getAttribute("data-state")));
        assertEquals("alice", browser.find("#account-name").getText());
        assertTrue(browser.find("#sign-out-button").isDisplayed());
        assertFalse(browser.driver().getCurrentUrl().contains("code="), "the code stays in the address");
        browser.waiting(WAIT).until(d -> "ready".equals(state()));
        String socket = (String) browser.script("return window.__candorSockets.at(-1).url;");
        assertTrue(socket.contains("/ws/chat?ticket="), socket);
        browser.screenshot("signin-ready");
    }

    /** The renewed token goes to the open socket as reauthenticate: the same socket lives on, signed in afresh. */
    @Test
    @Order(3)
    void renewsTheTokenSilentlyAndKeepsTheSocket() {
        browser.script("window.__candorFrames = [];"
                + "window.__candorSockets.at(-1).addEventListener('message', e => window.__candorFrames.push(e.data));");
        long sockets = (Long) browser.script("return window.__candorSockets.length;");
        String frame = browser.waiting(Duration.ofSeconds(75)).until(d -> (String) browser.script(
                "return window.__candorFrames.find(f => f.includes('\"reauthenticated\"')) || null;"));
        assertTrue(frame.contains("\"expires_in\""), frame);
        assertEquals(sockets, (Long) browser.script("return window.__candorSockets.length;"), "a new socket was opened");
        assertEquals("ready", state());
        assertEquals("alice", browser.find("#account-name").getText());
    }

    @Test
    @Order(4)
    void chatsAsTheSignedInUser() {
        STUB.enqueue(Script.reply("Hello ", "alice, ", "signed in."));
        WebElement input = browser.find("#composer-input");
        input.sendKeys("Who am I?");
        input.sendKeys(Keys.ENTER);
        browser.waiting(WAIT).until(d -> {
            var answers = browser.findAll("#messages .answer");
            return !answers.isEmpty()
                    && "complete".equals(answers.get(answers.size() - 1).getAttribute("data-state"));
        });
        assertEquals("Hello alice, signed in.", browser.find("#messages .answer .answer-body").getText().trim());
        // The thread list came over REST with alice's bearer token: her new conversation is in it
        browser.waiting(WAIT).until(d -> !browser.findAll("#thread-list [data-thread-id]").isEmpty());
        assertEquals(List.of(), browser.script("return window.__candorCspViolations;"),
                "the page broke its own Content-Security-Policy");
        browser.screenshot("signin-chat");
    }

    @Test
    @Order(5)
    void signsOutAtTheProviderAndStaysSignedOut() {
        browser.find("#sign-out-button").click();
        browser.waiting(WAIT).until(d -> d.getCurrentUrl().startsWith(Http.APP.toString())
                && "signed-out".equals(browser.find("#account").getAttribute("data-state")));
        assertTrue(browser.find("#sign-in-button").isDisplayed());
        assertFalse(browser.find("#sign-out-button").isDisplayed());
        assertEquals("SIGNED_OUT", browser.find("#error-banner").getAttribute("data-error-code"));
        assertEquals("signed-out", state());
        assertTrue(browser.findAll("#thread-list [data-thread-id]").isEmpty(), "the previous user's threads show");
        browser.screenshot("signin-signed-out");

        // The session at the provider has ended too: signing in again asks for the password
        browser.find("#sign-in-button").click();
        browser.waiting(WAIT).until(d -> d.getCurrentUrl().startsWith(Keycloak.issuer())
                && !d.findElements(org.openqa.selenium.By.id("username")).isEmpty());
    }

    /** carol signs in but lacks candor-user: the page says she may not chat and offers to sign out. */
    @Test
    @Order(6)
    void aUserWithoutTheRoleIsToldSoAndMaySignOut() {
        browser.find("#username").sendKeys("carol");
        browser.find("#password").sendKeys("carol-password");
        browser.find("#kc-login").click();
        browser.waiting(WAIT).until(d -> "FORBIDDEN".equals(browser.find("#error-banner")
                .getAttribute("data-error-code")));
        assertEquals("carol", browser.find("#account-name").getText());
        assertTrue(browser.find("#error-banner .banner-sign-out").isDisplayed());
        assertFalse(browser.find("#send-button").isEnabled());
        browser.screenshot("signin-forbidden");
    }

    private static String state() {
        return browser.find("#connection-status").getAttribute("data-state");
    }
}
