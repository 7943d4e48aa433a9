package dev.candor.infrastructure.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.http.client.sse.ServerSentEventContext;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

class SseLinesTest {

    private final List<String> heard = new ArrayList<>();
    private boolean subscriptionCancelled;

    private final ServerSentEventListener listener = new ServerSentEventListener() {
        @Override
        public void onEvent(ServerSentEvent event, ServerSentEventContext context) {
            heard.add(event.event() + "=" + event.data());
        }

        @Override
        public void onError(Throwable error) {
            heard.add("error:" + error.getMessage());
        }

        @Override
        public void onClose() {
            heard.add("close");
        }
    };

    @Test
    void parsesEventsAsLangChain4jsOwnParserDoes() {
        HttpAbort abort = new HttpAbort();
        SseLines sse = subscribed(abort);
        for (String line : List.of(": a comment", "event: message_start", "data: {\"a\":1}", "", "data:x",
                "data:  y", "", "", "data: [DONE]")) {
            sse.onNext(line);
        }
        sse.onComplete();
        assertEquals(List.of("message_start={\"a\":1}", "null=x\n y", "null=[DONE]", "close"), heard);
    }

    @Test
    void reportsOnlyTheFirstEndingAndNothingAfterAnAbort() {
        HttpAbort abort = new HttpAbort();
        SseLines sse = subscribed(abort);
        sse.fail(new IOException("reset"));
        sse.fail(new IOException("again"));
        sse.onComplete();
        assertEquals(List.of("error:reset"), heard);

        heard.clear();
        HttpAbort aborted = new HttpAbort();
        SseLines stopped = subscribed(aborted);
        stopped.onNext("data: before");
        aborted.abort();
        assertTrue(subscriptionCancelled, "aborting did not cancel the body's subscription");
        stopped.onNext("");
        stopped.onComplete();
        stopped.fail(new IOException("closed by the abort"));
        assertEquals(List.of(), heard);
    }

    private SseLines subscribed(HttpAbort abort) {
        SseLines sse = new SseLines(listener, abort);
        sse.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
            }

            @Override
            public void cancel() {
                subscriptionCancelled = true;
            }
        });
        return sse;
    }
}
