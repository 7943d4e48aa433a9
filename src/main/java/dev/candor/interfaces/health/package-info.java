/** MicroProfile Health checks: startup, readiness, liveness. */
package dev.candor.interfaces.health;
