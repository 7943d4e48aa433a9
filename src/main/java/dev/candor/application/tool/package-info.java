/** The tool SPI the agent may call, its registry and the tools Candor ships. */
package dev.candor.application.tool;
