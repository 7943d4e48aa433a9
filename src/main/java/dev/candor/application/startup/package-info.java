/** Ordered startup: the orchestrator, phase states, progress events and the startup report. */
package dev.candor.application.startup;
