package dev.candor.interfaces.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.testsupport.Browser;
import dev.candor.testsupport.Deployments;
import dev.candor.testsupport.Http;
import dev.candor.testsupport.llm.LlmProviderStub;
import dev.candor.testsupport.llm.Script;
import java.time.Duration;
import java.util.ArrayList;
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
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;

/**
 * The chat page in a real headless Chromium against the real server, Redis and the LLM protocol stand-in. Screenshots
 * of the key states go to target/e2e-screenshots/.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChatPageIT {

    private static final LlmProviderStub STUB = LlmProviderStub.start();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static Browser browser;

    @Deployment(testable = false)
    static WebArchive deployment() {
        STUB.modelsDelayMs(2500); // DEPENDENCIES and VALIDATION each list models: the page sees the startup
        Map<String, String> config = new HashMap<>(Deployments.withStub(STUB));
        config.put("candor.init.timeouts-ms", "60000");
        config.put("candor.llm.idle-timeout-ms", "3000");
        return Deployments.candor(config);
    }

    @BeforeAll
    static void openBrowser() {
        browser = Browser.open(1280, 900);
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    @Order(1)
    void showsRealProgressThenReady() {
        browser.get(Http.APP.toString());
        browser.waiting(WAIT).until(d -> "initializing".equals(state()));
        browser.screenshot("initializing");
        String progress = browser.find("#progress").getAttribute("aria-valuenow");
        assertTrue(progress != null && Integer.parseInt(progress) < 100, "progress while initializing: " + progress);
        browser.waiting(WAIT).until(d -> "ready".equals(state()));
        assertEquals("100", browser.find("#progress").getAttribute("aria-valuenow"));
        browser.screenshot("ready");
        STUB.modelsDelayMs(0);
    }

    @Test
    @Order(2)
    void streamsTheAnswerIncrementallyAndEndsWithTheProviderText() {
        List<String> pieces = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            pieces.add("word" + i + " ");
        }
        STUB.enqueue(Script.reply(pieces.toArray(String[]::new)).everyMs(100));
        send("Stream please");

        List<Integer> lengths = new ArrayList<>();
        WebElement answer = browser.waiting(WAIT).until(d -> lastAnswer());
        while (!"complete".equals(answer.getAttribute("data-state"))) {
            int length = answer.findElement(org.openqa.selenium.By.cssSelector(".answer-body")).getText().length();
            if (lengths.isEmpty() || lengths.get(lengths.size() - 1) != length) {
                lengths.add(length);
            }
            if (lengths.size() == 5) {
                browser.screenshot("streaming");
            }
            dev.candor.testsupport.Eventually.pause(40);
            answer = lastAnswer();
        }
        assertTrue(lengths.size() >= 5, "the answer did not appear incrementally: " + lengths);
        assertEquals(String.join("", pieces).trim(), lastAnswerText());
    }

    @Test
    @Order(3)
    void showsAToolCallCard() {
        STUB.enqueue(Script.empty().toolCall("call_1", "current_time", "{\"zone\":\"UTC\"}"),
                Script.reply("It is late in UTC."));
        send("What time is it?");
        WebElement card = browser.waiting(WAIT).until(d -> {
            var cards = browser.findAll(".tool-card[data-tool-name='current_time'][data-state='done']");
            return cards.isEmpty() ? null : cards.get(cards.size() - 1);
        });
        assertTrue(card.getText().contains("current_time"), card.getText());
        assertTrue(card.getText().contains("UTC"), card.getText());
        browser.waiting(WAIT).until(d -> "complete".equals(lastAnswer().getAttribute("data-state")));
        assertEquals("It is late in UTC.", lastAnswerText());
        browser.screenshot("tool-card");
    }

    @Test
    @Order(4)
    void theStopButtonStopsTheRunningAnswer() {
        STUB.enqueue(Script.empty().tokens(400).everyMs(25));
        send("Count for a long time");
        browser.waiting(WAIT).until(d -> lastAnswerText().length() > 20);
        browser.find("#stop-button").click();
        browser.waiting(WAIT).until(d -> "cancelled".equals(lastAnswer().getAttribute("data-state")));
        assertTrue(STUB.awaitDisconnect(Duration.ofSeconds(5)), "the provider did not see the stop");
        String partial = lastAnswerText();
        assertFalse(partial.isEmpty());
        assertTrue(partial.length() < Script.empty().tokens(400).fullText().length(), "stopped too late");
    }

    @Test
    @Order(5)
    void modelTextCanNeverInjectHtmlOrScript() {
        long scriptsBefore = (Long) browser.script("return document.scripts.length;");
        String hostile = "<img src=x onerror=alert(1)> and <script>alert(2)</script> **bold**";
        STUB.enqueue(Script.reply(hostile));
        send("Say something hostile");
        browser.waiting(WAIT).until(d -> "complete".equals(lastAnswer().getAttribute("data-state")));

        String text = lastAnswerText();
        assertTrue(text.contains("<img src=x onerror=alert(1)>"), text);
        assertTrue(text.contains("<script>alert(2)</script>"), text);
        assertEquals(scriptsBefore, (Long) browser.script("return document.scripts.length;"));
        assertEquals(0L, browser.script("return document.querySelectorAll('#messages img, #messages script').length;"));
        try {
            browser.driver().switchTo().alert();
            throw new AssertionError("an alert fired");
        } catch (NoAlertPresentException expected) {
            // no alert: the text stayed text
        }
    }

    @Test
    @Order(6)
    void reconnectsAndFinishesAnInFlightAnswerThroughResume() {
        List<String> pieces = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            pieces.add("piece" + i + " ");
        }
        STUB.enqueue(Script.reply(pieces.toArray(String[]::new)).everyMs(50));
        send("A long answer");
        browser.waiting(WAIT).until(d -> lastAnswerText().contains("piece5 "));
        String runId = lastAnswer().getAttribute("data-run-id");

        browser.dropSockets();
        browser.waiting(WAIT).until(d -> !"ready".equals(state()));
        browser.waiting(WAIT).until(d -> "ready".equals(state()));
        browser.waiting(WAIT).until(d -> "complete".equals(lastAnswer().getAttribute("data-state")));
        assertEquals(String.join("", pieces).trim(), lastAnswerText(), "text lost or duplicated across the reconnect");
        assertEquals(1L, browser.script("return document.querySelectorAll(\".answer[data-run-id='\" + arguments[0] "
                + "+ \"']\").length;", runId), "the resumed run got a second answer bubble");
    }

    @Test
    @Order(7)
    void withTheProviderDownItShowsTheErrorAndNoAnswer() {
        STUB.defaultScript(Script.empty().httpError(503, "provider down", null));
        try {
            send("Anyone there?");
            browser.waiting(WAIT).until(d -> "error".equals(lastAnswer().getAttribute("data-state")));
            WebElement banner = browser.waiting(WAIT).until(d -> {
                WebElement b = browser.find("#error-banner");
                return b.isDisplayed() ? b : null;
            });
            assertEquals("LLM_UNAVAILABLE", banner.getAttribute("data-error-code"));
            assertEquals("", lastAnswerText(), "text shown in place of an answer");
            browser.screenshot("error");
        } finally {
            STUB.defaultScript(LlmProviderStub.INITIAL_DEFAULT_SCRIPT);
        }
    }

    @Test
    @Order(8)
    void isUsableOnANarrowPhoneViewport() {
        try (Browser phone = Browser.open(390, 844)) {
            phone.get(Http.APP.toString());
            phone.waiting(WAIT).until(d -> "ready".equals(phone.find("#connection-status").getAttribute("data-state")));
            assertTrue((Long) phone.script("return document.documentElement.scrollWidth;") <= 390,
                    "the page scrolls sideways on a phone");
            WebElement input = phone.find("#composer-input");
            WebElement sendButton = phone.find("#send-button");
            assertTrue(input.isDisplayed() && sendButton.isDisplayed());
            assertTrue(sendButton.getRect().getX() + sendButton.getRect().getWidth() <= 390);
            STUB.enqueue(Script.reply("Small screens work."));
            input.sendKeys("Hello from a phone");
            input.sendKeys(Keys.ENTER);
            phone.waiting(WAIT).until(d -> {
                var answers = phone.findAll(".answer[data-state='complete'] .answer-body");
                return !answers.isEmpty() && answers.get(answers.size() - 1).getText().equals("Small screens work.");
            });
            phone.screenshot("narrow");
        }
    }

    private static void send(String text) {
        WebElement input = browser.find("#composer-input");
        input.clear();
        input.sendKeys(text);
        input.sendKeys(Keys.ENTER); // Enter sends; Shift+Enter would add a line
    }

    private static String state() {
        return browser.find("#connection-status").getAttribute("data-state");
    }

    private static WebElement lastAnswer() {
        var answers = browser.findAll("#messages .answer");
        return answers.isEmpty() ? null : answers.get(answers.size() - 1);
    }

    private static String lastAnswerText() {
        WebElement answer = lastAnswer();
        return answer == null ? "" : answer.findElement(org.openqa.selenium.By.cssSelector(".answer-body")).getText()
                .trim();
    }
}
