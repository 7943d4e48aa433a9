/** WebSocket benchmarks against a real provisioned WildFly: a readiness storm and a steady idle load; not tests. */
package dev.candor.bench;
