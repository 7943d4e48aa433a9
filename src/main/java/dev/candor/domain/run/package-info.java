/** Agent runs: one answer attempt of the agent on a thread. */
package dev.candor.domain.run;
