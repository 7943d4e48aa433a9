/** Candor's meters (docs: README, Observability), registered on the MeterRegistry of WildFly's micrometer subsystem. */
package dev.candor.application.metrics;
