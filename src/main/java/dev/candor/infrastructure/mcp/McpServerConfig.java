package dev.candor.infrastructure.mcp;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One MCP server of the {@code candor.mcp.config} file (README, "MCP tools"). Values of {@code env} and
 * {@code headers} may hold {@code ${NAME}} references, resolved from the configuration (environment variables
 * included) when the server is connected, so secrets stay out of the file.
 *
 * @param name            how tools and events name the server: {@code <name>__<tool>}
 * @param command         stdio: the program and its arguments
 * @param url             http: the streamable HTTP endpoint
 * @param required        true: SERVICES fails while the server cannot be reached; false: it is left out
 * @param connectTimeout  bound of starting the session (initialize) and listing the tools
 * @param callTimeout     bound of one tool call, when shorter or longer than {@code candor.agent.tool-timeout-ms}
 * @param approvalTimeout how long a run waits for the user to approve a call of a tool that needs approval
 * @param approvals       per tool (its name on the server): {@code required} or {@code never}; else its annotations
 * @param groups          when not empty, only users in one of these groups (token claim {@code groups}) get the tools
 * @param userHeader      http: the header that carries the calling user's id; absent (the default): the user's
 *                        identity is never sent to the server
 */
public record McpServerConfig(String name, Transport transport, List<String> command, Map<String, String> env,
                              URI url, Map<String, String> headers, boolean required, Duration connectTimeout,
                              Optional<Duration> callTimeout, Duration approvalTimeout,
                              Map<String, Approval> approvals, Set<String> groups, Optional<String> userHeader) {

    public enum Transport { STDIO, HTTP }

    /** What the configuration says about approving a tool's calls. */
    public enum Approval { REQUIRED, NEVER }
}
