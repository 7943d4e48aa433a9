/** The runtime sources of the rollout switches (a watched file, a Redis hash) as MicroProfile ConfigSources. */
package dev.candor.infrastructure.rollout;
