package dev.candor.interfaces.websocket;

import dev.candor.application.CandorException;
import dev.candor.application.ErrorCode;
import dev.candor.application.Failures;
import dev.candor.application.agent.ApprovalService;
import dev.candor.application.agent.ResumeService;
import dev.candor.application.agent.StopService;
import dev.candor.application.chat.ChatService;
import dev.candor.application.limit.UsageLimits;
import dev.candor.application.chat.TurnResult;
import dev.candor.application.startup.DependencyMonitor;
import dev.candor.application.tool.ToolRegistry;
import dev.candor.application.tracing.TraceScope;
import dev.candor.application.tracing.Tracing;
import dev.candor.application.tracing.TurnTrace;
import dev.candor.interfaces.websocket.protocol.ClientFrame;
import dev.candor.interfaces.websocket.protocol.ServerFrame;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The one dispatch path for frames of a READY connection. Agent work goes only to the real agent. An error about a
 * run or a sent message names its run_id, thread_id and client_message_id.
 */
@ApplicationScoped
public class FrameDispatcher {

    @Inject
    StopService stops;

    @Inject
    ApprovalService approvals;

    @Inject
    ChatService chat;

    @Inject
    ResumeService resume;

    @Inject
    DependencyMonitor monitor;

    @Inject
    UsageLimits limits;

    @Inject
    ToolRegistry tools;

    @Inject
    Tracing tracing;

    void dispatch(ChatConnection connection, ClientFrame frame) {
        if (frame instanceof ClientFrame.UserMessage message) {
            send(connection, message);
            return;
        }
        try {
            handle(connection, frame);
        } catch (RuntimeException e) {
            sendError(connection, frame, e);
        }
    }

    /**
     * A user_message, in its turn's span: the run it starts ends the span with its terminal event; a message that
     * starts no run ends it here (an error frame's correlation id is then the trace id).
     */
    private void send(ChatConnection connection, ClientFrame.UserMessage message) {
        TurnTrace turn = tracing.startTurn();
        try (TraceScope ignored = turn.activate()) {
            try {
                if (connection.identity() != null) {
                    tools.userGroups(connection.userId(), connection.identity().groups()); // which tools its run offers
                }
                TurnResult result = chat.send(connection.id(), connection.userId(), message.content(),
                        message.threadId(), message.clientMessageId(), turn);
                if (result instanceof TurnResult.Duplicate duplicate) {
                    turn.end();
                    connection.send(new ServerFrame.DuplicateMessage(duplicate.clientMessageId(),
                            duplicate.messageId(), duplicate.threadId(), duplicate.runId()));
                }
            } catch (RuntimeException e) {
                turn.fail(sendError(connection, message, e).name());
            }
        }
    }

    /** The error frame for a failure handling {@code frame}, naming the run, thread or message it concerns. */
    private ErrorCode sendError(ChatConnection connection, ClientFrame frame, RuntimeException failure) {
        monitor.failed(failure); // a database or Redis that cannot be reached re-opens its phase
        ServerFrame.Error error = ServerFrame.Error.of(Failures.report(failure, frame.type() + " of connection "
                + connection.id()));
        if (frame instanceof ClientFrame.UserMessage message) {
            error = error.concerning(null, message.threadId(), message.clientMessageId());
        } else if (frame instanceof ClientFrame.StopRun stop) {
            error = error.concerning(stop.runId(), null, null);
        } else if (frame instanceof ClientFrame.Resume request) {
            error = error.concerning(request.runId(), null, null);
        } else if (frame instanceof ClientFrame.ToolApproval answer) {
            error = error.concerning(answer.runId(), null, null);
        }
        connection.send(error);
        return error.code();
    }

    private void handle(ChatConnection connection, ClientFrame frame) {
        if (frame instanceof ClientFrame.Ping) {
            connection.send(new ServerFrame.Pong());
        } else if (frame instanceof ClientFrame.StopRun stop) {
            stops.stop(connection.id(), connection.userId(), stop.runId(), lost -> sendError(connection, frame, lost));
        } else if (frame instanceof ClientFrame.ToolApproval answer) {
            approvals.answer(connection.userId(), answer.runId(), answer.callId(), answer.approved());
        } else if (frame instanceof ClientFrame.Resume request) {
            limits.admitResume(connection.id());
            resume.resume(connection.id(), connection.userId(), request.runId(), request.afterSeq(),
                    lost -> sendError(connection, frame, lost));
        }
    }
}
