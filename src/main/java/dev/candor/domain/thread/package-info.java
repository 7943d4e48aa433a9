/** Chat threads and their messages: entities and the repository port. */
package dev.candor.domain.thread;
