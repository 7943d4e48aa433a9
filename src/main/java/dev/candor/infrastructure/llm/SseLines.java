package dev.candor.infrastructure.llm;

import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.http.client.sse.ServerSentEventContext;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParsingHandle;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Server-sent events from the lines of a streaming response body, pushed as the JDK client receives them: no thread
 * waits on a stream per request, and a line is parsed on the thread that received it. Follows the SSE rules that
 * LangChain4j's own parser follows ({@code event:}, {@code data:} lines joined by a newline, a blank line dispatches,
 * comments ignored). Aborting cancels the subscription, which closes the connection.
 */
final class SseLines implements Flow.Subscriber<String>, ServerSentEventParsingHandle {

    private static final Logger LOG = Logger.getLogger(SseLines.class.getName());

    private final ServerSentEventListener listener;
    private final HttpAbort abort;
    private final ServerSentEventContext context = new ServerSentEventContext(this);
    private final StringBuilder data = new StringBuilder();
    private String event;
    private volatile Flow.Subscription subscription;
    private volatile boolean cancelled;
    private final AtomicBoolean ended = new AtomicBoolean();

    SseLines(ServerSentEventListener listener, HttpAbort abort) {
        this.listener = listener;
        this.abort = abort;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        abort.onAbort(this::cancel);
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(String line) {
        if (cancelled) {
            return;
        }
        if (line.isEmpty()) {
            dispatch();
        } else if (line.startsWith("data:")) {
            String value = line.substring(5);
            if (!data.isEmpty()) {
                data.append('\n');
            }
            data.append(value.startsWith(" ") ? value.substring(1) : value);
        } else if (line.startsWith("event:")) {
            event = line.substring(6).trim();
        }
    }

    @Override
    public void onError(Throwable error) {
        fail(error);
    }

    /** The exchange failed, at any stage; the listener hears of the first failure or end only. */
    void fail(Throwable error) {
        if (ended.compareAndSet(false, true) && !cancelled && !abort.isAborted()) {
            listener.onError(error);
        }
    }

    @Override
    public void onComplete() {
        if (!ended.compareAndSet(false, true) || cancelled || abort.isAborted()) {
            return;
        }
        dispatch();
        listener.onClose();
    }

    @Override
    public void cancel() {
        cancelled = true;
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    private void dispatch() {
        if (data.isEmpty()) {
            event = null;
            return;
        }
        ServerSentEvent sse = new ServerSentEvent(event, data.toString());
        data.setLength(0);
        event = null;
        try {
            listener.onEvent(sse, context);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "a server-sent event's listener failed", e); // as LangChain4j's own parser does
        }
    }
}
