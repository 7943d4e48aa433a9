/** Gradual rollout: runtime switches with a percentage of users each, and the cohort a user is in. */
package dev.candor.application.rollout;
