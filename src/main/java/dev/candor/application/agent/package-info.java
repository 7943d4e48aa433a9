/** The agent: one run answers one stored user message with a real LLM, real tools and real events. */
package dev.candor.application.agent;
