/** One chat turn and the services behind it: threads, the agent supervisor, the event bridge. */
package dev.candor.application.chat;
