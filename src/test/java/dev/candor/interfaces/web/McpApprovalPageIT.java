package dev.candor.interfaces.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.candor.testsupport.Browser;
import dev.candor.testsupport.Deployments;
import dev.candor.testsupport.Http;
import dev.candor.testsupport.McpServers;
import dev.candor.testsupport.llm.LlmProviderStub;
import dev.candor.testsupport.llm.Script;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/** In Chromium: a tool of a real MCP server that needs approval shows an approve/deny card; Approve runs it. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class McpApprovalPageIT {

    private static final LlmProviderStub STUB = LlmProviderStub.start();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static Browser browser;

    @Deployment(testable = false)
    static WebArchive deployment() {
        String config = """
                {"servers": [{"name": "everything", "transport": "stdio", "command": "%s", "args": ["stdio"],
                              "required": true, "tools": {"echo": {"approval": "required"}}}]}
                """.formatted(McpServers.everything());
        Map<String, String> settings = new HashMap<>(Deployments.withStub(STUB));
        settings.put("candor.mcp.config", McpServers.configFile(config));
        return Deployments.candor(settings);
    }

    @BeforeAll
    static void openBrowser() {
        browser = Browser.open(1280, 900);
    }

    @AfterAll
    static void close() {
        if (browser != null) {
            browser.close();
        }
        STUB.close();
    }

    @Test
    void approvingTheCardRunsTheToolAndTheModelGetsItsResult() {
        STUB.enqueue(Script.empty().toolCall("call_page", "everything__echo", "{\"message\":\"from the page\"}"),
                Script.reply("The server said it back."));
        browser.get(Http.APP.toString());
        browser.waiting(WAIT).until(d -> "ready".equals(browser.find("#connection-status").getAttribute("data-state")));
        WebElement input = browser.find("#composer-input");
        input.sendKeys("Echo from the page");
        input.sendKeys(Keys.ENTER);

        WebElement card = browser.waiting(WAIT).until(d -> first(".tool-card[data-call-id='call_page']"
                + "[data-state='approval']"));
        assertTrue(card.getText().contains("everything › echo"), card.getText());
        assertTrue(card.getText().contains("from the page"), card.getText());
        browser.screenshot("tool-approval");
        card.findElement(org.openqa.selenium.By.cssSelector(".tool-approve")).click();

        WebElement done = browser.waiting(WAIT).until(d -> first(".tool-card[data-call-id='call_page'][data-state='done']"));
        assertTrue(done.getText().contains("Echo: from the page"), done.getText());
        browser.waiting(WAIT).until(d -> "complete".equals(first("#messages .answer").getAttribute("data-state")));
        assertEquals(0, browser.findAll(".tool-approval").size(), "the approve/deny card stayed");
        assertTrue(STUB.chatRequests().get(STUB.chatRequests().size() - 1).body().contains("Echo: from the page"));
        browser.screenshot("tool-approved");
    }

    private static WebElement first(String css) {
        List<WebElement> found = browser.findAll(css);
        return found.isEmpty() ? null : found.get(found.size() - 1);
    }
}
