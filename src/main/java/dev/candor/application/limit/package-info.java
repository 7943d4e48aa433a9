/** Per-user and per-connection limits (messages, runs, connections, resumes, tokens): the port and its slots. */
package dev.candor.application.limit;
