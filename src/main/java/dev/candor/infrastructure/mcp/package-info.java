/** MCP servers as tool sources: their configuration file, connections (LangChain4j's MCP client) and tools. */
package dev.candor.infrastructure.mcp;
