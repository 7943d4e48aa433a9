/** Spans of turns and initialization attempts (MicroProfile Telemetry), kept out of the business logic. */
package dev.candor.application.tracing;
