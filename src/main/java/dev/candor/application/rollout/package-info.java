/** Gradual rollout: which cohort a user belongs to. */
package dev.candor.application.rollout;
