/** Benchmarks against a real provisioned WildFly: readiness storm, steady idle load, agent latency; not tests. */
package dev.candor.bench;
